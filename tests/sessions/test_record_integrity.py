"""A signed note changes by no path, two tabs never overwrite each other, and writes that
meet are serialised by the patient's lock (issue 10, Build 1-5)."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, OperationalError, connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from core.transactions import retry_on_conflict
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
from tests.concurrency import waits_for
from tests.factories import PatientFactory
from tests.session_factories import (
    AmendmentFactory,
    TreatmentSessionFactory,
    point,
    point_row,
    session_data,
)

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one write transaction at a time"
)


def url(name, session):
    return reverse(
        f"sessions:{name}",
        kwargs={"patient_uuid": session.patient.uuid, "session_uuid": session.uuid},
    )


@pytest.fixture
def draft(patient, practitioner):
    return TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, subjective="As typed"
    )


@pytest.fixture
def signed(patient, practitioner):
    return TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, signed=True, points=["ST36"]
    )


def edit_data(session, **fields):
    """A draft save of `note` from its edit page, as opened at its current version."""
    return session_data(points=(), version=session.version, **fields)


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


def test_a_draft_is_still_changed_in_the_database(draft):
    TreatmentSession.objects.filter(pk=draft.pk).update(subjective="Better")
    SessionPoint.objects.bulk_create([SessionPoint(session=draft, point=point("LI4"), side="L")])
    assert draft.points.count() == 1


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


def test_a_draft_save_that_finds_the_note_signed_meanwhile_changes_nothing(draft, practitioner):
    """The forms were filled while the note was a draft; it was signed before they saved."""
    form = SessionForm(edit_data(draft, subjective="Late"), instance=draft)
    points = point_formset_class(extra=1)(session_data(points=()), instance=draft, prefix="points")
    events = AdverseEventFormSet(session_data(points=()), instance=draft, prefix="adverse")
    assert form.is_valid() and points.is_valid() and events.is_valid()
    TreatmentSession.objects.get(pk=draft.pk).sign(by=practitioner)
    with pytest.raises(SignedSessionError):
        save_session(form, points, events)
    stored = TreatmentSession.objects.get(pk=draft.pk)
    assert (stored.is_signed, stored.subjective) == (True, "As typed")


def test_a_sign_of_a_draft_changed_since_the_page_was_read_is_refused(practitioner_client, draft):
    version = draft.version
    TreatmentSession.objects.get(pk=draft.pk).save()  # saved in another tab meanwhile
    response = practitioner_client.post(url("sign", draft), {"version": version}, follow=True)
    assert "changed after you opened this page" in response.content.decode()
    assert not TreatmentSession.objects.get(pk=draft.pk).is_signed


def test_the_sign_button_refuses_a_caution_that_was_never_acknowledged(
    practitioner_client, patient, practitioner
):
    Patient.objects.filter(pk=patient.pk).update(pregnant=True)
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["SP6"])
    response = practitioner_client.post(url("sign", session), follow=True)
    assert "traditionally avoided in pregnancy" in response.content.decode()
    assert not TreatmentSession.objects.get(pk=session.pk).is_signed


def test_a_signed_note_is_not_signed_twice(practitioner_client, signed):
    response = practitioner_client.post(url("sign", signed))
    assert response.status_code == 409


# Two tabs on one draft


def test_a_stale_tab_is_answered_409_with_its_text_kept(practitioner_client, draft):
    opened = draft.version
    first = practitioner_client.post(url("edit", draft), edit_data(draft, subjective="Tab A"))
    assert first.status_code == 302
    second = practitioner_client.post(
        url("edit", draft), session_data(points=(), version=opened, subjective="Tab B text")
    )
    assert second.status_code == 409
    page = second.content.decode()
    assert "saved elsewhere" in page
    assert "Saved meanwhile as: “Tab A”" in page  # under the Subjective field
    assert "Tab B text" in page
    assert TreatmentSession.objects.get(pk=draft.pk).subjective == "Tab A"
    # Saving again from the answered page keeps tab B's text, on purpose now.
    again = practitioner_client.post(
        url("edit", draft),
        session_data(points=(), version=second.context["version"], subjective="Tab B text"),
    )
    assert again.status_code == 302
    assert TreatmentSession.objects.get(pk=draft.pk).subjective == "Tab B text"


def test_the_edit_page_carries_the_drafts_version(practitioner_client, draft):
    page = practitioner_client.get(url("edit", draft)).content.decode()
    assert f'name="version" value="{draft.version}"' in page


def test_two_tabs_adding_the_same_point_hear_of_the_conflict(practitioner_client, draft):
    opened = draft.version
    data = session_data(points=[point_row("ST36")], version=opened)
    assert practitioner_client.post(url("edit", draft), data).status_code == 302
    second = practitioner_client.post(url("edit", draft), data)
    assert second.status_code == 409
    assert "Its points are: ST36 bilateral." in second.content.decode()
    assert draft.points.count() == 1


# Writes that meet


def test_a_write_that_meets_a_deadlock_is_tried_again(browser_db):
    attempts = []

    @retry_on_conflict
    def view(request):
        attempts.append(1)
        if len(attempts) == 1:
            raise OperationalError("deadlock detected") from DeadlockLike()
        return HttpResponse("saved")

    assert view(RequestFactory().post("/")).content == b"saved"
    assert len(attempts) == 2


def test_a_write_that_keeps_meeting_deadlocks_is_a_503_with_nothing_saved(browser_db, rf):
    attempts = []

    @retry_on_conflict
    def view(request):
        attempts.append(1)
        Patient.objects.create(given_name="Never", family_name="Stored", status="invited")
        raise OperationalError("deadlock detected") from DeadlockLike()

    request = rf.post("/")
    request.user = get_user_model()()
    response = view(request)
    assert (response.status_code, len(attempts)) == (503, 3)
    assert "Nothing of it was stored" in response.content.decode()
    assert not Patient.objects.filter(family_name="Stored").exists()


def test_other_database_errors_are_not_retried(browser_db):
    attempts = []

    @retry_on_conflict
    def view(request):
        attempts.append(1)
        raise OperationalError("disk full")

    with pytest.raises(OperationalError):
        view(RequestFactory().post("/"))
    assert len(attempts) == 1


class DeadlockLike(Exception):
    sqlstate = "40P01"


@postgres_only
def test_a_real_deadlock_is_retried_until_both_writes_are_stored(browser_db, practitioner):
    """Two writers lock two patients in opposite orders (as no path of ours does): one of
    them is PostgreSQL's deadlock victim, retried, and both end stored."""
    first, second = PatientFactory(), PatientFactory()
    barrier = threading.Barrier(2, timeout=10)
    answers, attempts = [], []

    def writer(a, b):
        @retry_on_conflict
        def view(request):
            attempts.append(a.pk)
            Patient.objects.lock(a.pk)
            if len(attempts) <= 2:
                barrier.wait()
            Patient.objects.lock(b.pk)
            Patient.objects.filter(pk=a.pk).update(safety_notes=f"by writer {a.pk}")
            return HttpResponse("saved")

        try:
            answers.append(view(RequestFactory().post("/")).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=writer, args=(first, second)),
        threading.Thread(target=writer, args=(second, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert answers == [200, 200]
    assert len(attempts) == 3  # one victim, tried once more
    assert Patient.objects.filter(safety_notes__startswith="by writer").count() == 2


@postgres_only
def test_a_draft_save_waits_for_a_sign_then_is_refused(browser_db, practitioner):
    session = TreatmentSessionFactory(practitioner=practitioner, subjective="As typed")
    answers = []

    def sign_and_hold(hold):
        with transaction.atomic():
            TreatmentSession.objects.get(pk=session.pk).sign(by=practitioner)
            hold()

    def save_draft():
        client = Client()
        client.force_login(practitioner)
        data = session_data(points=(), version=session.version, subjective="Overwrite?")
        answers.append(client.post(url("edit", session), data).status_code)

    assert waits_for(sign_and_hold, save_draft)  # for the patient's lock
    assert answers == [409]
    stored = TreatmentSession.objects.get(pk=session.pk)
    assert (stored.is_signed, stored.subjective) == (True, "As typed")


@postgres_only
def test_simultaneous_draft_saves_and_signs_never_unsign_a_note(browser_db, practitioner):
    """Ten pairs sent at the same instant: each note whose sign was answered as done is
    signed, and none holds the draft text of a save answered as refused."""
    outcomes = []
    for _ in range(10):
        session = TreatmentSessionFactory(practitioner=practitioner, subjective="As typed")
        barrier = threading.Barrier(2, timeout=10)
        answers = {}

        def send(kind, session=session, barrier=barrier, answers=answers):
            client = Client()
            client.force_login(practitioner)
            try:
                barrier.wait()
                if kind == "sign":
                    response = client.post(url("sign", session), follow=True)
                    answers[kind] = "signed." in response.content.decode()
                else:
                    data = session_data(points=(), version=session.version, subjective="Saved")
                    answers[kind] = client.post(url("edit", session), data).status_code
            finally:
                connection.close()

        threads = [threading.Thread(target=send, args=(kind,)) for kind in ("sign", "draft")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        stored = TreatmentSession.objects.get(pk=session.pk)
        if answers["sign"]:
            assert stored.is_signed
        assert stored.subjective == ("Saved" if answers["draft"] == 302 else "As typed")
        outcomes.append((answers["sign"], answers["draft"]))
    assert all(sign or draft == 302 for sign, draft in outcomes)


# Bad input in a note


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f"])
@pytest.mark.parametrize("field", ["subjective", "pulse", "herbal_formula"])
def test_a_control_character_in_a_draft_is_refused_next_to_the_field(
    practitioner_client, draft, field, character
):
    typed = f"Worse{character} at night"
    response = practitioner_client.post(url("edit", draft), edit_data(draft, **{field: typed}))
    assert response.status_code == 400
    assert "invisible control character" in str(response.context["form"].errors[field])
    assert TreatmentSession.objects.get(pk=draft.pk).subjective == "As typed"


def test_a_control_character_in_an_adverse_event_or_amendment_is_refused(
    practitioner_client, draft, signed
):
    adverse = [{"category": "flare", "severity": "mild", "description": "Sore\x00"}]
    response = practitioner_client.post(
        url("edit", draft), session_data(points=(), adverse=adverse, version=draft.version)
    )
    assert response.status_code == 400 and not draft.adverse_events.exists()
    response = practitioner_client.post(url("amend", signed), {"text": "Also\x00 LI4"})
    assert response.status_code == 400 and not signed.amendments.exists()
    assert "invisible control character" in response.content.decode()
