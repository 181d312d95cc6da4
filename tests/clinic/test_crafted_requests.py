"""Crafted and careless requests found in review: each gets a 4xx with a message, or the
harmless outcome, never a 500; and every read of patient data through a link is audited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from patients.models import Patient, PatientLink, PhaseChange
from sessions.models import Protocol, ProtocolPoint
from tests.factories import InvitedPatientFactory
from tests.intake_helpers import answer_steps, review_url, step_url
from tests.session_factories import point
from tests.session_helpers import session_data

pytestmark = pytest.mark.django_db


def new_session_url(patient):
    return reverse("sessions:new", kwargs={"patient_uuid": patient.uuid})


@pytest.mark.parametrize("total", ["abc", "5000000", "-1"])
def test_a_broken_point_count_with_add_protocol_is_a_400_at_once(
    practitioner_client, practitioner, patient, total
):
    protocol = Protocol.objects.create(name="Neck", owner=practitioner)
    ProtocolPoint.objects.create(protocol=protocol, point=point("GB20"), side="B")
    data = session_data(action="add_protocol") | {"protocol": protocol.pk,
                                                  "points-TOTAL_FORMS": total}  # fmt: skip
    response = practitioner_client.post(new_session_url(patient), data)
    assert response.status_code == 400
    assert not patient.treatment_sessions.exists()


def test_a_session_in_the_future_is_refused(practitioner_client, patient):
    later = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = practitioner_client.post(new_session_url(patient), session_data(started_at=later))
    assert response.status_code == 400
    assert "cannot be logged in the future" in response.content.decode()


def test_a_session_before_2000_is_refused(practitioner_client, patient):
    response = practitioner_client.post(
        new_session_url(patient), session_data(started_at="1999-12-31T10:00")
    )
    assert response.status_code == 400
    assert "Enter a date from 2000 on." in response.content.decode()


def test_reading_the_intake_steps_and_review_through_a_link_is_audited(client):
    patient = InvitedPatientFactory()
    _, token = PatientLink.issue(patient, PatientLink.Purpose.INTAKE)
    answer_steps(client, token, steps=["about"])
    before = AuditEvent.objects.filter(action="view", patient_uuid=patient.uuid).count()
    client.get(step_url(token, "about"))
    client.get(review_url(token))
    views = AuditEvent.objects.filter(action="view", patient_uuid=patient.uuid)
    assert views.count() == before + 2
    assert {event.actor for event in views} == {"patient (link)"}


def test_a_refused_check_in_is_still_an_audited_read(client, patient):
    patient.status = Patient.Status.ACTIVE
    patient.save()
    _, token = PatientLink.issue(patient, PatientLink.Purpose.CHECKIN)
    response = client.post(reverse("checkin", kwargs={"token": token}), {})
    assert response.status_code == 400
    assert AuditEvent.objects.filter(action="view", patient_uuid=patient.uuid).exists()


def test_a_phase_change_to_the_current_phase_is_refused(practitioner_client, practitioner, patient):
    PhaseChange.objects.create(
        patient=patient, phase=1, started_on=timezone.localdate(), changed_by=practitioner
    )
    url = reverse("patients:phase_change", kwargs={"patient_uuid": patient.uuid})
    response = practitioner_client.post(
        url, {"phase": "1", "started_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 400
    assert "already in phase 1" in response.content.decode()
    assert PhaseChange.objects.filter(patient=patient).count() == 1


def test_inviting_the_same_new_patient_twice_is_refused(practitioner_client):
    data = {"given_name": "Zed", "family_name": "Quill", "email": "z@example.org", "phone": ""}
    assert practitioner_client.post(reverse("patients:invite"), data).status_code == 200
    again = practitioner_client.post(reverse("patients:invite"), data | {"given_name": "ZED"})
    assert again.status_code == 400
    assert "already registered" in again.content.decode()
    assert Patient.objects.filter(family_name="Quill").count() == 1
