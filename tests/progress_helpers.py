"""Dates and pages for the progress and phase tests: the baseline an accepted intake
starts from (tests.factories.StartedCourseFactory), days counted back from today, the
progress, report and phase pages' addresses, and the phase form's POST data.

    StartedCourseFactory(patient=ana, accepted_by=lin, on=days_ago(28))
    practitioner_client.post(phase_url(ana), phase_data(phase="3"))
"""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

# What the intake's baseline readings are, unless a test says otherwise.
BASELINE = {
    "pain_now": 7,
    "pain_average": 8,
    "pain_worst": 9,
    "enjoyment": 7,
    "activity": 6,
    "peg": "7.00",
    "psfs": "3.00",
    "confidence": 3,
    "active_minutes": 60,
}


# The phase tests' course (tests/patients/conftest.py) began this many days ago.
COURSE_BEGAN = 21


def today():
    return timezone.localdate()


def days_ago(n):
    return today() - datetime.timedelta(days=n)


def day(date):
    """A date as the pages print it: 4 Nov 2026."""
    return f"{date.day} {date:%b %Y}"


def moment_on(date, hour, minute):
    """`date` at hour:minute in the clinic's time zone."""
    moment = datetime.datetime.combine(date, datetime.time(hour, minute))
    return timezone.make_aware(moment, ZoneInfo(settings.TIME_ZONE))


# The pages


def progress_url(patient):
    return reverse("patients:progress", kwargs={"patient_uuid": patient.uuid})


def report_url(patient):
    return reverse("patients:report", kwargs={"patient_uuid": patient.uuid})


def phase_url(patient):
    return reverse("patients:phase_change", kwargs={"patient_uuid": patient.uuid})


def phase_data(**changes):
    """A valid POST for the phase change form (phase 2 from today); `changes` override it."""
    return {"phase": "2", "started_on": today().isoformat(), "reason": "Pain well down"} | changes


def accept_url(suggestion):
    kwargs = {"patient_uuid": suggestion.patient.uuid, "suggestion_id": suggestion.pk}
    return reverse("patients:accept_suggestion", kwargs=kwargs)


def dismiss_url(suggestion):
    kwargs = {"patient_uuid": suggestion.patient.uuid, "suggestion_id": suggestion.pk}
    return reverse("patients:dismiss_suggestion", kwargs=kwargs)
