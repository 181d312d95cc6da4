"""A write that meets a deadlock or a serialization failure is tried again.

Every write path takes its row locks in one order (patients.models.records.PatientQuerySet),
so a deadlock between two of ours should not happen; one with anything else (a shell, a
migration, a row lock PostgreSQL takes for a foreign key) still can, and so can SQLite's
"database is locked" when two writers meet. The whole view runs again in a new transaction,
a few times, before the person is told, with a 503, that nothing was saved.
"""

import functools
import logging
import time

from django.db import OperationalError, connection, transaction
from django.shortcuts import render

ATTEMPTS = 3
RETRYABLE_SQLSTATES = {"40P01", "40001"}  # deadlock_detected, serialization_failure
logger = logging.getLogger(__name__)


def is_conflict(error):
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES:
        return True
    return connection.vendor == "sqlite" and "database is locked" in str(error)


def retry_on_conflict(view):
    """Run `view` in a transaction of its own, again on a conflict (at most ATTEMPTS
    times), then answer 503. Inside a caller's transaction it just runs the view."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if connection.in_atomic_block:
            return view(request, *args, **kwargs)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                with transaction.atomic():
                    return view(request, *args, **kwargs)
            except OperationalError as error:
                if not is_conflict(error):
                    raise
                logger.warning(
                    "%s met a write conflict (attempt %d of %d)",
                    view.__name__, attempt, ATTEMPTS,
                )  # fmt: skip
                time.sleep(0.05 * attempt)
        response = render(request, "busy.html", status=503)
        response["Retry-After"] = "2"
        return response

    return wrapper
