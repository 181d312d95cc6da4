"""The phases as three steps on the patient and progress pages: the current one marked,
since when, and the rule that would move the patient on, for each phase and before the
course starts."""

import pytest
from django.urls import reverse

from patients.models import PatientSummary, PhaseChange
from patients.stepper import phase_stepper
from tests.factories import StartedCourseFactory
from tests.html import html, text
from tests.progress_helpers import days_ago

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("phase", "states", "rule"),
    [
        (None, ["to come", "to come", "to come"], "The course starts in phase 1"),
        (1, ["current", "to come", "to come"], "at least 30 % (or 2 points) below"),
        (2, ["done", "current", "to come"], "movement confidence is at least 7"),
        (3, ["done", "done", "current"], "150 or more active minutes a week"),
    ],
)
def test_each_phase_marks_its_step_and_names_the_next_rule(phase, states, rule):
    stepper = phase_stepper(phase, days_ago(5) if phase else None)
    assert [step["state"] for step in stepper["steps"]] == states
    assert rule in stepper["rule"]
    assert stepper["days"] == (5 if phase else None)


def test_the_thresholds_come_from_the_settings(settings):
    settings.PHASE_RULES = {**settings.PHASE_RULES, "calm_percent": 40}
    assert "at least 40 %" in phase_stepper(1, days_ago(1))["rule"]


@pytest.mark.parametrize("page", ["patients:detail", "patients:progress"])
def test_the_pages_show_the_stepper(practitioner_client, practitioner, patient, page):
    StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(20))
    PhaseChange.objects.create(
        patient=patient, phase=2, started_on=days_ago(6), changed_by=practitioner
    )
    PatientSummary.objects.refresh(patient)
    response = practitioner_client.get(reverse(page, kwargs={"patient_uuid": patient.uuid}))
    body = html(response)
    assert 'aria-current="step"' in body
    current = body.split('aria-current="step"')[1].split("</li>")[0]
    assert "Build confidence in movement" in current
    assert f"In this phase since {days_ago(6):%-d %b %Y} (6 days)" in text(body)
