"""Periodic jobs: settings.PERIODIC_JOBS names each job's function (a dotted path) and how
often it runs (minutes). `python manage.py run_jobs`, run every few minutes by cron (or a
systemd timer), runs the jobs that are due.

Time is cut into slots of each job's period, counted from the Unix epoch; a job is due
once per slot. Before running it, run_due() inserts its (job, slot) row: of two runs that
meet, the second insert fails on the unique constraint and that run skips the job. A run
that dies half-way keeps its slot (the job waits for the next one), so a job must be safe
to stop and start again."""

import logging
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from jobs.models import JobRun

logger = logging.getLogger(__name__)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def slot_of(moment, minutes):
    """The start of the slot of `minutes` that holds `moment`."""
    period = timedelta(minutes=minutes)
    return EPOCH + ((moment - EPOCH) // period) * period


def run_due(now=None):
    """Run every job due now and not yet claimed for its slot; (job, outcome) for each one
    this run took."""
    now = now or timezone.now()
    ran = []
    for name, job in settings.PERIODIC_JOBS.items():
        slot = slot_of(now, job["every_minutes"])
        try:
            with transaction.atomic():
                run = JobRun.objects.create(job=name, slot=slot)
        except IntegrityError:
            continue  # another run has this slot
        try:
            outcome = f"done: {import_string(job['run'])()}"
        except Exception as error:
            outcome = f"failed: {type(error).__name__}"
            logger.exception("Periodic job %s failed.", name)
        run.finished_at, run.outcome = timezone.now(), outcome[:200]
        run.save(update_fields=["finished_at", "outcome"])
        ran.append((name, run.outcome))
    return ran
