"""The periodic jobs the app itself needs (settings.PERIODIC_JOBS)."""

import io

from django.conf import settings
from django.core.management import call_command


def prune_task_results():
    """Delete the task queue's finished results older than a week (what an email task
    carried, sealed, goes with them); nothing to do unless the queue is the database."""
    if settings.TASKS_BACKEND != "database":
        return "no database queue"
    out = io.StringIO()
    call_command("prune_db_task_results", min_age_days=7, stdout=out, stderr=out)
    return "finished task results older than 7 days deleted"
