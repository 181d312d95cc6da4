"""Unreviewed red flags from the intake stop the patient's first note being signed
(CLINICAL.md section 5), a refusal the sign review offers no way past; a draft, and later
notes, are not stopped."""

import pytest
from django.urls import reverse

from sessions.models import UNREVIEWED_RED_FLAGS, TreatmentSession
from tests.factories import SubmittedIntakeFactory
from tests.session_factories import TreatmentSessionFactory
from tests.session_helpers import note_url, session_data, sign_data


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


def log_and_sign(client, patient):
    """Save and sign… on the new-session page, then sign from the review it opens."""
    response = client.post(new_session_url(patient), session_data(action="sign"))
    assert response.status_code == 302
    session = TreatmentSession.objects.filter(patient=patient).latest("session_number")
    return client.post(response.url, sign_data(session, sign_past_missing=True)), session


def test_unreviewed_red_flags_stop_the_first_note_from_being_signed(
    practitioner_client, practitioner, flagged
):
    response, session = log_and_sign(practitioner_client, flagged.patient)
    assert response.status_code == 400
    assert UNREVIEWED_RED_FLAGS in response.content.decode()
    session.refresh_from_db()
    assert session.status == "draft"

    practitioner_client.post(red_flags_url(flagged), {"action": "same_day"})
    data = sign_data(session, sign_past_missing=True)
    assert practitioner_client.post(note_url("sign", session), data).status_code == 302
    session.refresh_from_db()
    assert (session.status, session.signed_by) == ("signed", practitioner)


def test_the_sign_review_offers_no_sign_button_past_unreviewed_red_flags(
    practitioner_client, practitioner, flagged
):
    draft = TreatmentSessionFactory(patient=flagged.patient, practitioner=practitioner)
    page = practitioner_client.get(note_url("sign", draft)).content.decode()
    assert "This note cannot be signed" in page
    assert UNREVIEWED_RED_FLAGS in page
    assert "Sign the note</button>" not in page


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
    response = practitioner_client.post(note_url("sign", draft), sign_data(draft))
    assert response.status_code == 400
    assert UNREVIEWED_RED_FLAGS in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_red_flags_do_not_block_once_a_note_is_signed(practitioner_client, practitioner, flagged):
    TreatmentSessionFactory(patient=flagged.patient, practitioner=practitioner, signed=True)
    response, _ = log_and_sign(practitioner_client, flagged.patient)
    assert response.status_code == 302
    assert TreatmentSession.objects.filter(status="signed").count() == 2


def test_an_intake_without_red_flags_does_not_block_signing(practitioner_client, plain):
    response, session = log_and_sign(practitioner_client, plain.patient)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.status == "signed"
