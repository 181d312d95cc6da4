"""Amending a signed note: any practitioner or clinic admin adds an amendment under the
original; a draft is edited, not amended; the points and adverse events of a signed note
are locked with it."""

import pytest

from audit.models import AuditEvent
from sessions.models import (
    AdverseEvent,
    Amendment,
    SessionPoint,
    SignedSessionError,
    TreatmentSession,
)
from tests.session_factories import AmendmentFactory, TreatmentSessionFactory
from tests.session_helpers import note_url

# Amendments


def test_any_practitioner_can_amend_a_signed_note(client, second_practitioner, signed):
    before = TreatmentSession.objects.values().get(pk=signed.pk)
    client.force_login(second_practitioner)

    response = client.post(note_url("amend", signed), {"text": "  Retention was 25 minutes.  "})

    assert response.status_code == 302
    assert response.url == signed.get_absolute_url()
    amendment = Amendment.objects.get()
    assert (amendment.session, amendment.author) == (signed, second_practitioner)
    assert amendment.text == "Retention was 25 minutes."
    assert TreatmentSession.objects.values().get(pk=signed.pk) == before
    created = AuditEvent.objects.get(action="create", object_type="treatment_sessions.amendment")
    assert (created.user, created.patient_uuid) == (second_practitioner, signed.patient.uuid)


def test_the_amendment_shows_under_the_original(practitioner_client, signed, second_practitioner):
    AmendmentFactory(session=signed, author=second_practitioner, text="First correction.")
    AmendmentFactory(session=signed, text="Second correction.")
    page = practitioner_client.get(note_url("detail", signed)).content.decode()

    original = page.index("ST36 Zusanli")
    first, second = page.index("First correction."), page.index("Second correction.")
    assert original < page.index("Amendments") < first < second
    assert "Dr Okafor" in page[first:second]


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_empty_amendment_is_refused(practitioner_client, signed, text):
    response = practitioner_client.post(note_url("amend", signed), {"text": text})

    assert response.status_code == 400
    errors = response.context["amendment_form"].errors["text"]
    assert errors
    assert errors[0] in response.content.decode()
    assert not Amendment.objects.exists()


def test_a_draft_cannot_be_amended(practitioner_client, draft):
    response = practitioner_client.post(note_url("amend", draft), {"text": "Late entry."})
    assert response.status_code == 409
    assert "A draft is edited, not amended." in response.content.decode()
    assert not Amendment.objects.exists()


def test_a_clinic_admin_can_amend_a_signed_note(admin_client_, clinic_admin, signed):
    # Clinic admins hold add_amendment (staff/roles.py): a correction of, say, a date.
    assert (
        admin_client_.post(note_url("amend", signed), {"text": "Date corrected."}).status_code
        == 302
    )
    assert Amendment.objects.get().author == clinic_admin


def test_the_amendment_form_shows_only_on_a_signed_note(practitioner_client, draft, signed):
    assert (
        note_url("amend", signed)
        in practitioner_client.get(note_url("detail", signed)).content.decode()
    )
    assert (
        note_url("amend", draft)
        not in practitioner_client.get(note_url("detail", draft)).content.decode()
    )


def test_the_points_and_adverse_events_of_a_signed_note_are_locked_with_it(practitioner, patient):
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["ST36"])
    session.sign(by=practitioner)
    row = SessionPoint.objects.get(session=session)
    with pytest.raises(SignedSessionError):
        row.delete()
    with pytest.raises(SignedSessionError):
        AdverseEvent(session=session, category="bleeding", severity="mild").save()
    assert SessionPoint.objects.filter(session=session).count() == 1
