"""A signed note changes by no path: the database refuses it past the model (the shell path),
the model refuses it, and signing re-checks the note under the patient's lock; bad input in
a draft or its parts is refused (issue 10)."""

import pytest
from django.db import DatabaseError, connection, transaction

from patients.models import Patient
from sessions.actions import save_session
from sessions.forms import AdverseEventFormSet, SessionForm, point_formset_class
from sessions.models import (
    AdverseEvent,
    Amendment,
    SessionPoint,
    SignedSessionError,
    TreatmentSession,
)
from tests.session_factories import AmendmentFactory, TreatmentSessionFactory, point
from tests.session_helpers import edit_data, note_url, session_data

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one write transaction at a time"
)


@pytest.fixture
def signed(patient, practitioner):
    return TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, signed=True, points=["ST36"]
    )


# The database refuses changes to a signed note: the shell path, past the model.


def test_the_database_refuses_an_update_of_a_signed_note(signed):
    with pytest.raises(DatabaseError), transaction.atomic():
        TreatmentSession.objects.filter(pk=signed.pk).update(subjective="rewritten")
    assert TreatmentSession.objects.get(pk=signed.pk).subjective == ""


def test_the_database_refuses_to_unsign_a_note(signed):
    with pytest.raises(DatabaseError), transaction.atomic():
        TreatmentSession.objects.filter(pk=signed.pk).update(
            status="draft", signed_by=None, signed_at=None
        )
    assert TreatmentSession.objects.get(pk=signed.pk).is_signed


def test_the_database_refuses_a_new_point_or_adverse_event_on_a_signed_note(signed):
    with pytest.raises(DatabaseError), transaction.atomic():
        SessionPoint.objects.bulk_create(
            [SessionPoint(session=signed, point=point("LI4"), side="L")]
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        AdverseEvent.objects.bulk_create(
            [AdverseEvent(session=signed, category="flare", severity="mild")]
        )
    assert signed.points.count() == 1 and not signed.adverse_events.exists()


def test_the_database_refuses_a_change_to_a_signed_notes_points(signed):
    with pytest.raises(DatabaseError), transaction.atomic():
        SessionPoint.objects.filter(session=signed).update(side="L")
    assert signed.points.get().side == "B"


@postgres_only
def test_postgresql_refuses_to_delete_a_signed_note_or_its_points(signed):
    with pytest.raises(DatabaseError), transaction.atomic():
        SessionPoint.objects.filter(session=signed)._raw_delete(connection.alias)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM treatment_sessions_treatmentsession WHERE id = %s", [signed.pk])
    assert signed.points.exists() and TreatmentSession.objects.filter(pk=signed.pk).exists()


def test_an_amendment_is_added_to_a_signed_note_but_never_changed(signed):
    amendment = AmendmentFactory(session=signed, author=signed.practitioner, text="Also LI4.")
    with pytest.raises(DatabaseError), transaction.atomic():
        Amendment.objects.filter(pk=amendment.pk).update(text="Something else.")
    assert Amendment.objects.get(pk=amendment.pk).text == "Also LI4."


def test_a_draft_is_still_changed_in_the_database(typed_draft):
    TreatmentSession.objects.filter(pk=typed_draft.pk).update(subjective="Better")
    SessionPoint.objects.bulk_create(
        [SessionPoint(session=typed_draft, point=point("LI4"), side="L")]
    )
    assert typed_draft.points.count() == 1


def test_the_model_refuses_to_save_or_delete_a_signed_note(signed):
    signed.subjective = "rewritten"
    with pytest.raises(SignedSessionError):
        signed.save()
    with pytest.raises(SignedSessionError):
        TreatmentSession.objects.get(pk=signed.pk).delete()
    with pytest.raises(SignedSessionError):
        signed.points.get().delete()
    assert TreatmentSession.objects.get(pk=signed.pk).subjective == ""


def test_the_model_refuses_to_change_or_delete_an_amendment(signed):
    amendment = AmendmentFactory(session=signed, author=signed.practitioner, text="Also LI4.")
    amendment.text = "Something else."
    with pytest.raises(SignedSessionError):
        amendment.save()
    with pytest.raises(SignedSessionError):
        amendment.delete()
    assert Amendment.objects.get(pk=amendment.pk).text == "Also LI4."


# Signing on the model, under the lock


def test_a_draft_save_that_finds_the_note_signed_meanwhile_changes_nothing(
    typed_draft, practitioner
):
    """The forms were filled while the note was a draft; it was signed before they saved."""
    form = SessionForm(edit_data(typed_draft, subjective="Late"), instance=typed_draft)
    points = point_formset_class(extra=1)(
        session_data(points=()), instance=typed_draft, prefix="points"
    )
    events = AdverseEventFormSet(session_data(points=()), instance=typed_draft, prefix="adverse")
    assert form.is_valid() and points.is_valid() and events.is_valid()
    TreatmentSession.objects.get(pk=typed_draft.pk).sign(by=practitioner)
    with pytest.raises(SignedSessionError):
        save_session(form, points, events)
    stored = TreatmentSession.objects.get(pk=typed_draft.pk)
    assert (stored.is_signed, stored.subjective) == (True, "As typed")


def test_a_sign_of_a_draft_changed_since_the_page_was_read_is_refused(
    practitioner_client, typed_draft
):
    version = typed_draft.version
    TreatmentSession.objects.get(pk=typed_draft.pk).save()  # saved in another tab meanwhile
    response = practitioner_client.post(note_url("sign", typed_draft), {"version": version})
    assert response.status_code == 409
    assert "changed after you opened this review" in response.content.decode()
    assert not TreatmentSession.objects.get(pk=typed_draft.pk).is_signed


def test_the_sign_button_refuses_a_caution_that_was_never_acknowledged(
    practitioner_client, patient, practitioner
):
    Patient.objects.filter(pk=patient.pk).update(pregnant=True)
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["SP6"])
    response = practitioner_client.post(note_url("sign", session), follow=True)
    assert "traditionally avoided in pregnancy" in response.content.decode()
    assert not TreatmentSession.objects.get(pk=session.pk).is_signed


def test_a_signed_note_is_not_signed_twice(practitioner_client, signed):
    response = practitioner_client.post(note_url("sign", signed))
    assert response.status_code == 409


# Bad input in a note


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f"])
@pytest.mark.parametrize("field", ["subjective", "pulse", "herbal_formula"])
def test_a_control_character_in_a_draft_is_refused_next_to_the_field(
    practitioner_client, typed_draft, field, character
):
    typed = f"Worse{character} at night"
    response = practitioner_client.post(
        note_url("edit", typed_draft), edit_data(typed_draft, **{field: typed})
    )
    assert response.status_code == 400
    assert "invisible control character" in str(response.context["form"].errors[field])
    assert TreatmentSession.objects.get(pk=typed_draft.pk).subjective == "As typed"


def test_a_control_character_in_an_adverse_event_or_amendment_is_refused(
    practitioner_client, typed_draft, signed
):
    adverse = [{"category": "flare", "severity": "mild", "description": "Sore\x00"}]
    response = practitioner_client.post(
        note_url("edit", typed_draft),
        session_data(points=(), adverse=adverse, version=typed_draft.version),
    )
    assert response.status_code == 400 and not typed_draft.adverse_events.exists()
    response = practitioner_client.post(note_url("amend", signed), {"text": "Also\x00 LI4"})
    assert response.status_code == 400 and not signed.amendments.exists()
    assert "invisible control character" in response.content.decode()
