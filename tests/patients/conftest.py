"""Patients for the patients app's tests: Ana's course of care for the phase tests (her
accepted intake three weeks ago, two calmer check-ins since, and the suggestion of phase 2
they make), and Ana accepted through the pages for the summary tests."""

import pytest
from django.urls import reverse

from patients.models import Patient
from patients.progress import refresh_suggestion
from tests.intake_helpers import invited_patient, submitted_intake
from tests.progress_helpers import COURSE_BEGAN, checkin, days_ago, start_course


@pytest.fixture
def course(patient, practitioner):
    """Ana's accepted intake three weeks ago: baseline average pain 8, phase 1 since."""
    return start_course(patient, practitioner, on=days_ago(COURSE_BEGAN), pain_average=8)


@pytest.fixture
def calmer(patient, course):
    """Two check-ins with average pain 5: 3 points, 37.5 % below the baseline of 8."""
    checkin(patient, days_ago(14), pain_average=5)
    checkin(patient, days_ago(7), pain_average=5)


@pytest.fixture
def suggestion(patient, calmer):
    return refresh_suggestion(patient)


@pytest.fixture
def ana(practitioner_client):
    """Invited, intake sent with average pain 8, accepted: phase 1 from today."""
    patient = invited_patient()
    intake = submitted_intake(patient, measures={"pain_average": "8"})
    kwargs = {"patient_uuid": patient.uuid, "intake_id": intake.pk}
    practitioner_client.post(reverse("patients:accept_intake", kwargs=kwargs))
    return Patient.objects.get(pk=patient.pk)
