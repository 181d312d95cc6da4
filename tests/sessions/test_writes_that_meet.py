"""Two tabs never overwrite each other (a stale save is answered 409 with its text kept), and
writes that meet are serialised by the patient's lock and retried on a deadlock
(issue 10)."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory

from core.transactions import retry_on_conflict
from patients.models import Patient
from sessions.models import TreatmentSession
from tests.concurrency import waits_for
from tests.factories import PatientFactory
from tests.session_factories import TreatmentSessionFactory
from tests.session_helpers import edit_data, note_url, point_row, session_data

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one write transaction at a time"
)


# Two tabs on one draft


def test_a_stale_tab_is_answered_409_with_its_text_kept(practitioner_client, typed_draft):
    opened = typed_draft.version
    first = practitioner_client.post(
        note_url("edit", typed_draft), edit_data(typed_draft, subjective="Tab A")
    )
    assert first.status_code == 302
    second = practitioner_client.post(
        note_url("edit", typed_draft),
        session_data(points=(), version=opened, subjective="Tab B text"),
    )
    assert second.status_code == 409
    page = second.content.decode()
    assert "saved elsewhere" in page
    assert "Saved meanwhile as: “Tab A”" in page  # under the Subjective field
    assert "Tab B text" in page
    assert TreatmentSession.objects.get(pk=typed_draft.pk).subjective == "Tab A"
    # Saving again from the answered page keeps tab B's text, on purpose now.
    again = practitioner_client.post(
        note_url("edit", typed_draft),
        session_data(points=(), version=second.context["version"], subjective="Tab B text"),
    )
    assert again.status_code == 302
    assert TreatmentSession.objects.get(pk=typed_draft.pk).subjective == "Tab B text"


def test_the_edit_page_carries_the_drafts_version(practitioner_client, typed_draft):
    page = practitioner_client.get(note_url("edit", typed_draft)).content.decode()
    assert f'name="version" value="{typed_draft.version}"' in page


def test_two_tabs_adding_the_same_point_hear_of_the_conflict(practitioner_client, typed_draft):
    opened = typed_draft.version
    data = session_data(points=[point_row("ST36")], version=opened)
    assert practitioner_client.post(note_url("edit", typed_draft), data).status_code == 302
    second = practitioner_client.post(note_url("edit", typed_draft), data)
    assert second.status_code == 409
    assert "Its points are: ST36 bilateral." in second.content.decode()
    assert typed_draft.points.count() == 1


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
        answers.append(client.post(note_url("edit", session), data).status_code)

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
                    response = client.post(note_url("sign", session), follow=True)
                    # The success message, not the refused review's "The note was not signed."
                    done = f"Session {session.session_number} signed."
                    answers[kind] = done in response.content.decode()
                else:
                    data = session_data(points=(), version=session.version, subjective="Saved")
                    answers[kind] = client.post(note_url("edit", session), data).status_code
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
