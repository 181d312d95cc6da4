"""The parts /healthz and `manage.py health` check, named in settings.HEALTH_CHECKS. Each
check is a function that returns if its part works and raises if not; a part that is not
there (the queue, when email is sent in the request) is not in the setting."""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


class HealthError(Exception):
    pass


def database():
    """The default database answers a query."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def cache():
    """The default cache (Redis with REDIS_URL) stores a value and gives it back."""
    store = caches["default"]
    key = f"healthz:{uuid.uuid4().hex}"
    store.set(key, "ok", timeout=10)
    answer = store.get(key)
    store.delete(key)
    if answer != "ok":
        raise HealthError("the cache gave back another value")


def queue():
    """The database queue is being worked: no task ready to run has waited longer than
    HEALTH_QUEUE_WAIT_MINUTES, as it would with no worker running (or one stuck). A queue
    that is merely quiet passes: nothing here can ask a worker whether it is alive."""
    now = timezone.now()
    limit = now - timedelta(minutes=settings.HEALTH_QUEUE_WAIT_MINUTES)
    # Ready tasks run after a time (a retry) or as soon as they can (run_after is then the
    # largest date there is): each has waited since the later of that and its enqueuing.
    waited_too_long = Q(run_after__lt=limit) | Q(run_after__gt=now)
    if DBTaskResult.objects.ready().filter(waited_too_long, enqueued_at__lt=limit).exists():
        raise HealthError("a task has waited too long for a worker")


def report():
    """({part: "ok" or "failing"}, [the failing parts]), each part of the setting checked in
    turn; a failure is logged with the error's type only (its text may name a server)."""
    parts = {}
    for name, path in settings.HEALTH_CHECKS.items():
        try:
            import_string(path)()
        except Exception as error:  # any failure of a part is that part failing
            logger.warning("Health check %r failed (%s)", name, type(error).__name__)
            parts[name] = "failing"
        else:
            parts[name] = "ok"
    return parts, [name for name, state in parts.items() if state != "ok"]
