"""Periodic jobs (jobs.schedule, `manage.py run_jobs`): a job runs once in each slot of its
period, a failing job is recorded and does not stop the others, two runs that meet on
PostgreSQL run a job once, and the built-in job prunes the task queue's old results."""

import io
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import JobRun
from jobs.schedule import run_due, slot_of

RAN = []
NOON = datetime(2026, 12, 2, 12, 7, tzinfo=UTC)


def count_a_run():
    RAN.append(timezone.now())
    return f"run {len(RAN)}"


def slow_run():
    time.sleep(0.5)
    return count_a_run()


def fail():
    raise ValueError("no patient data in here")


@pytest.fixture
def jobs(settings):
    RAN.clear()
    settings.PERIODIC_JOBS = {
        "count": {"run": "tests.jobs.test_schedule.count_a_run", "every_minutes": 60},
        "fail": {"run": "tests.jobs.test_schedule.fail", "every_minutes": 60},
    }


def test_a_slot_starts_at_a_whole_period_from_the_epoch():
    assert slot_of(NOON, 60) == datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    assert slot_of(NOON, 24 * 60) == datetime(2026, 12, 2, tzinfo=UTC)
    assert slot_of(NOON, 5) == datetime(2026, 12, 2, 12, 5, tzinfo=UTC)


@pytest.mark.django_db
def test_a_job_runs_once_a_slot(jobs):
    assert dict(run_due(NOON))["count"] == "done: run 1"
    assert "count" not in dict(run_due(NOON + timedelta(minutes=50)))  # the same hour
    assert dict(run_due(NOON + timedelta(hours=1)))["count"] == "done: run 2"
    assert len(RAN) == 2


@pytest.mark.django_db
def test_a_failing_job_is_recorded_and_the_others_still_run(jobs):
    ran = dict(run_due(NOON))
    assert ran == {"count": "done: run 1", "fail": "failed: ValueError"}
    failed = JobRun.objects.get(job="fail")
    assert failed.finished_at is not None and "patient" not in failed.outcome


@pytest.mark.django_db
def test_the_command_says_what_it_ran(jobs):
    out = io.StringIO()
    call_command("run_jobs", stdout=out)
    call_command("run_jobs", stdout=out)
    assert out.getvalue().splitlines() == [
        "count: done: run 1",
        "fail: failed: ValueError",
        "No job due.",
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one write transaction at a time"
)
def test_two_runs_that_meet_run_a_job_once(settings):
    RAN.clear()
    settings.PERIODIC_JOBS = {
        "slow": {"run": "tests.jobs.test_schedule.slow_run", "every_minutes": 60}
    }
    start = threading.Barrier(2)
    outcomes = []

    def run():
        start.wait()
        try:
            outcomes.append(run_due(NOON))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes, key=len) == [[], [("slow", "done: run 1")]]
    assert len(RAN) == 1 and JobRun.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_built_in_job_prunes_old_task_results(settings, practitioner, client):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASKS_BACKEND = "database"
    client.post("/accounts/password_reset/", {"email": "lin@example.org"})
    call_command("db_worker", batch=True, interval=0, reload=False, stdout=io.StringIO())
    DBTaskResult.objects.update(finished_at=timezone.now() - timedelta(days=8))
    client.post("/accounts/password_reset/", {"email": "lin@example.org"})  # waiting: kept
    out = io.StringIO()
    call_command("run_jobs", stdout=out)
    assert "prune-task-results: done" in out.getvalue()
    assert DBTaskResult.objects.count() == 1
