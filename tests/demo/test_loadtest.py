"""The load test and the race check: their refusal of a real database, the helpers that
read worker memory from /proc, the form reading the simulated browsers post from, and the
check of the notes they saved (the runs themselves need gunicorn, and the load test
locust: `make loadtest`, `manage.py racecheck`)."""

import os

import pytest
from django.urls import reverse

from demo.loadtest.browser import (
    alerts,
    form_fields,
    is_session_address,
    session_fields,
    sign_done,
    sign_fields,
    together,
)
from demo.loadtest.server import children, memory_kb, parent_pid
from demo.loadtest.stored import compare_sessions, stored_sessions

STATUS = """Name:\tgunicorn
Umask:\t0022
State:\tS (sleeping)
Pid:\t4242
PPid:\t4241
VmPeak:\t  312000 kB
VmHWM:\t   98304 kB
VmRSS:\t   81920 kB
RssAnon:\t   40000 kB
"""


def test_it_reads_the_resident_and_peak_memory_in_kb():
    assert memory_kb(STATUS) == {"VmRSS": 81920, "VmHWM": 98304}


def test_it_reads_nothing_from_a_process_without_memory():
    # A zombie or kernel thread has no Vm lines.
    assert memory_kb("Name:\tkthreadd\nState:\tS (sleeping)\nPPid:\t0\n") == {}


def test_it_reads_the_parent_after_a_name_with_spaces_and_parentheses():
    assert parent_pid("4242 (gunicorn: worker (clinic)) S 4241 4241 1 0 -1") == 4241


def test_it_finds_this_process_among_its_parents_children():
    assert os.getpid() in children(os.getppid())


@pytest.mark.django_db
def test_the_load_test_refuses_a_database_the_demo_seed_did_not_make(patient, monkeypatch):
    import importlib.util

    from django.core.management import CommandError, call_command

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())  # as if installed
    with pytest.raises(CommandError, match="only on a database made by seed_demo"):
        call_command("loadtest", users=1, seconds=1, workers=1, pool=1)


# Reading a form as a browser posts it (clinic/loadtest/browser.py, for the locustfile and
# racecheck), and checking the notes the load test saved.

FORM = """
<form method="post" action="/accounts/logout/"><input type="hidden" name="next" value="/"></form>
<form method="post" id="session-form">
  <input type="hidden" name="csrfmiddlewaretoken" value="abc">
  <button type="submit" name="action" value="draft">Save</button>
  <input type="submit" name="go" value="Go">
  <input type="number" name="pain_before" value="6">
  <input type="text" name="pulse">
  <input type="checkbox" name="electrical">
  <input type="checkbox" name="cupping" checked>
  <input type="radio" name="side" value="L">
  <input type="radio" name="side" value="R" checked>
  <select name="style">
    <option value="tcm">TCM</option><option value="five" selected>5E</option>
  </select>
  <select name="protocol"><option value="">Choose</option><option value="3">Back</option></select>
  <select name="unit"><option>mm</option></select>
  <textarea name="subjective">
Sore &amp; stiff</textarea>
  <input type="text" name="points-0-point" value="ST36">
  <input type="text" name="points-__prefix__-point" value="">
  <select name="points-__prefix__-side"><option value="B">Both</option></select>
</form>
<form method="post" action="/patients/1/sessions/2/sign/">
  <input type="hidden" name="version" value="7">
</form>
"""


def test_it_reads_the_form_a_browser_would_post():
    assert form_fields(FORM, "session-form") == {
        "csrfmiddlewaretoken": "abc",
        "pain_before": "6",
        "pulse": "",
        "cupping": "on",
        "side": "R",
        "style": "five",
        "protocol": "",
        "unit": "mm",
        "subjective": "Sore & stiff",
        "points-0-point": "ST36",
    }


def test_it_reads_a_form_by_the_end_of_its_action_or_else_the_first():
    assert form_fields(FORM, action="/sign/") == {"version": "7"}
    assert form_fields(FORM) == {"next": "/"}
    assert form_fields(FORM, "no-such-form") == {}


def test_the_sign_review_is_posted_signing_past_what_the_note_lacks():
    assert sign_fields(FORM) == {"version": "7", "sign_past_missing": "on"}


def test_a_note_is_saved_as_a_draft_with_its_marker_and_pain_score():
    fields = session_fields(FORM, "Load test 1 n", 3)
    assert fields["subjective"] == "Load test 1 n"
    assert fields["pain_before"] == "3"
    assert fields["action"] == "draft"
    assert fields["style"] == "five"


NOTE = "/patients/6f1c2a9e-1111-4222-8333-944455556666/sessions/"


def test_a_draft_save_answers_with_the_notes_page():
    assert is_session_address(NOTE + "0b5e0f6a-7777-4888-9999-aaaabbbbcccc/?saved=draft", NOTE)
    assert is_session_address(NOTE + "0b5e0f6a-7777-4888-9999-aaaabbbbcccc/", NOTE)


def test_a_redirect_elsewhere_is_no_saved_note():
    other = "/patients/00000000-1111-4222-8333-944455556666/sessions/"
    assert not is_session_address(other + "0b5e0f6a-7777-4888-9999-aaaabbbbcccc/", NOTE)
    assert not is_session_address("/accounts/login/?next=" + NOTE, NOTE)
    assert not is_session_address(NOTE + "new/", NOTE)


def alert(level, text):
    return f'<div class="alert alert-{level}" role="status">{text}</div>'


def test_a_sign_is_done_when_the_page_says_signed_and_nothing_failed():
    assert sign_done(alert("success", "Session 4 signed."))
    assert sign_done(alert("info", "Welcome") + alert("success", "Session 12 signed."))


def test_a_sign_is_not_done_when_the_page_shows_an_error_or_no_message():
    refused = alert("danger", "Open the draft, resolve the above, and sign from there.")
    assert not sign_done(refused)
    assert not sign_done(alert("success", "Session 4 signed.") + refused)
    assert not sign_done(alert("success", "Draft of session 4 saved."))
    assert not sign_done("<p>Session 4</p>")


def test_it_reads_the_pages_messages_as_text():
    assert alerts(alert("danger", "Don&#x27;t <b>sign</b>")) == [("danger", "Don't sign")]


PATIENT = "6f1c2a9e-1111-4222-8333-944455556666"


def line(marker, sign=None, pain_before=5, patient=PATIENT):
    return {"marker": marker, "patient": patient, "pain_before": pain_before, "sign": sign}


def test_every_saved_note_stored_for_its_patient_with_its_score_is_kept():
    posted = [line("m1"), line("m2", sign="done"), line("m3", sign="refused")]
    stored = {"m1": (PATIENT, 5, False), "m2": (PATIENT, 5, True), "m3": (PATIENT, 5, False)}
    found = compare_sessions(posted, stored)
    assert found == {
        "posted": 3,
        "stored": 3,
        "missing": 0,
        "signs": 2,
        "signs_done": 1,
        "signs_refused": 1,
        "signs_failed": 0,
        "signed_stored": 1,
        "lost_signs": 0,
    }


def test_a_note_absent_for_another_patient_or_with_another_score_is_missing():
    posted = [line("gone"), line("moved"), line("changed")]
    stored = {"moved": ("someone-else", 5, False), "changed": (PATIENT, 9, False)}
    assert compare_sessions(posted, stored)["missing"] == 3


def test_a_sign_answered_as_done_on_a_note_stored_as_a_draft_is_lost():
    posted = [line("m1", sign="done"), line("m2", sign="done"), line("m3", sign="failed")]
    stored = {"m1": (PATIENT, 5, False), "m2": (PATIENT, 5, True), "m3": (PATIENT, 5, False)}
    found = compare_sessions(posted, stored)
    assert (found["signs_done"], found["lost_signs"], found["signs_failed"]) == (2, 1, 1)


@pytest.mark.django_db
def test_it_finds_the_runs_notes_by_their_marker(patient):
    from sessions.models import TreatmentSession
    from tests.session_factories import TreatmentSessionFactory

    TreatmentSessionFactory(patient=patient, subjective="Load test ab12 n1", pain_before=4)
    TreatmentSessionFactory(patient=patient, subjective="Load test ab12 n2", signed=True)
    TreatmentSessionFactory(patient=patient, subjective="Load test ab123 n3")
    TreatmentSessionFactory(patient=patient, subjective="Knee pain")
    assert stored_sessions("Load test ab12") == {
        "Load test ab12 n1": (str(patient.uuid), 4, False),
        "Load test ab12 n2": (str(patient.uuid), 6, True),
    }
    assert TreatmentSession.objects.count() == 4


@pytest.mark.django_db
def test_the_new_session_form_read_from_its_page_saves_a_draft(practitioner_client, patient):
    new = reverse("sessions:new", kwargs={"patient_uuid": patient.uuid})
    page = practitioner_client.get(new).content.decode()
    response = practitioner_client.post(new, session_fields(page, "Load test cd34 n1", 7))
    assert response.status_code == 302
    assert is_session_address(response["Location"], new.removesuffix("new/"))
    assert stored_sessions("Load test cd34") == {"Load test cd34 n1": (str(patient.uuid), 7, False)}


def test_together_starts_every_call_and_gives_each_answer_and_its_times():
    answers, times = together(one=lambda: 1, two=lambda: 2)
    assert answers == {"one": 1, "two": 2}
    assert set(times) == {"one", "two"}
    assert all(0 <= start <= end for start, end in times.values())


@pytest.mark.django_db
def test_the_race_check_refuses_a_database_the_demo_seed_did_not_make(patient):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="only on a database made by seed_demo"):
        call_command("racecheck", pairs=1, seconds=1)


@pytest.mark.django_db
def test_the_load_test_takes_its_patients_by_their_own_option(patient, monkeypatch):
    import importlib.util

    from django.core.management import CommandError, call_command

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    with pytest.raises(CommandError, match="--patients must be at least 1"):
        call_command("loadtest", "--patients", "0")
