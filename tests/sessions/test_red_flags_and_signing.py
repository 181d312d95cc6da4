"""Unreviewed red flags from the intake stop the patient's first note being signed
(CLINICAL.md section 5); a draft, and later notes, are not stopped."""

import pytest
from django.urls import reverse

from sessions.models import UNREVIEWED_RED_FLAGS, TreatmentSession
from tests.factories import SubmittedIntakeFactory
from tests.session_factories import TreatmentSessionFactory
from tests.session_helpers import session_data


def red_flags_url(intake):
    kwargs = {"patient_uuid": intake.patient.uuid, "intake_id": intake.pk}
    return reverse("patients:review_red_flags", kwargs=kwargs)


def new_session_url(patient):
    return reverse("sessions:new", kwargs={"patient_uuid": patient.uuid})


@pytest.fixture
def plain(invited):
    """An intake without red flags."""
    return SubmittedIntakeFactory(patient=invited)


@pytest.fixture
def flagged(invited):
    return SubmittedIntakeFactory(patient=invited, flagged=True)


def test_unreviewed_red_flags_stop_the_first_note_from_being_signed(
    practitioner_client, practitioner, flagged
):
    patient = flagged.patient
    response = practitioner_client.post(new_session_url(patient), session_data(action="sign"))
    assert response.status_code == 400
    assert UNREVIEWED_RED_FLAGS in response.content.decode()
    assert not TreatmentSession.objects.exists()

    practitioner_client.post(red_flags_url(flagged), {"action": "safe"})
    response = practitioner_client.post(new_session_url(patient), session_data(action="sign"))
    assert response.status_code == 302
    session = TreatmentSession.objects.get(patient=patient)
    assert (session.status, session.signed_by) == ("signed", practitioner)


def test_unreviewed_red_flags_still_allow_a_draft(practitioner_client, flagged):
    response = practitioner_client.post(
        new_session_url(flagged.patient), session_data(action="draft")
    )
    assert response.status_code == 302
    assert TreatmentSession.objects.get().status == "draft"


def test_unreviewed_red_flags_stop_signing_a_draft_from_its_page(
    practitioner_client, practitioner, flagged
):
    draft = TreatmentSessionFactory(patient=flagged.patient, practitioner=practitioner)
    url = reverse(
        "sessions:sign", kwargs={"patient_uuid": flagged.patient.uuid, "session_uuid": draft.uuid}
    )
    response = practitioner_client.post(url, follow=True)
    assert UNREVIEWED_RED_FLAGS in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_red_flags_do_not_block_once_a_note_is_signed(practitioner_client, practitioner, flagged):
    TreatmentSessionFactory(patient=flagged.patient, practitioner=practitioner, signed=True)
    response = practitioner_client.post(
        new_session_url(flagged.patient), session_data(action="sign")
    )
    assert response.status_code == 302
    assert TreatmentSession.objects.filter(status="signed").count() == 2


def test_an_intake_without_red_flags_does_not_block_signing(practitioner_client, plain):
    response = practitioner_client.post(new_session_url(plain.patient), session_data(action="sign"))
    assert response.status_code == 302
    assert TreatmentSession.objects.get().status == "signed"
