"""Bad input never breaks a page: control characters refused next to their field, intake
drafts that keep only what the step asks for, page numbers out of range, and two "new
patient" posts for the same person at once."""

import datetime
import json

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from core import text
from patients.forms import (
    STEP_FORMS,
    CheckInForm,
    InviteForm,
    PatientFilterForm,
    PatientForm,
    PhaseChangeForm,
    RedFlagReviewForm,
    SafetyFlagsForm,
)
from patients.models import Intake, Patient, PatientLink
from sessions.forms import ExportForm
from tests.concurrency import waits_for
from tests.factories import (
    InvitedPatientFactory,
    PatientFactory,
    StartedCourseFactory,
    SubmittedIntakeFactory,
)
from tests.html import field_error, html
from tests.intake_helpers import answers_for, checkin_url, intake_link, step_url
from tests.progress_helpers import days_ago, today
from tests.session_factories import SessionOnDateFactory

pytestmark = pytest.mark.django_db

CONTROL = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x7f"]
NEW_PATIENT = {
    "given_name": "Rosa",
    "family_name": "Mendes",
    "date_of_birth": "1961-02-03",
    "sex": "female",
    "email": "",
    "phone": "",
    "emergency_contact_name": "",
    "emergency_contact_phone": "",
    "practitioner": "",
    "status": "active",
}


# Control characters


@pytest.mark.parametrize(
    "form_class",
    [
        PatientForm,
        PatientFilterForm,
        SafetyFlagsForm,
        InviteForm,
        RedFlagReviewForm,
        PhaseChangeForm,
        CheckInForm,
        ExportForm,
        *STEP_FORMS.values(),
    ],
)
def test_every_staff_and_patient_form_refuses_control_characters(form_class):
    assert issubclass(form_class, text.NoControlCharacters)


@pytest.mark.parametrize("character", CONTROL)
def test_a_new_patient_with_a_control_character_is_refused_next_to_the_field(
    practitioner_client, character
):
    data = {**NEW_PATIENT, "family_name": f"Men{character}des"}
    response = practitioner_client.post(reverse("patients:create"), data)
    assert response.status_code == 400
    assert field_error(response, "family_name") == text.MESSAGE
    assert "Men" in html(response) and "des" in html(response)  # what was typed, kept
    assert not Patient.objects.filter(given_name="Rosa").exists()


def test_tab_line_feed_and_carriage_return_are_ordinary_text(practitioner_client, patient):
    notes = "Line one\r\nLine two\tindented"
    data = {"safety_notes": notes}
    response = practitioner_client.post(reverse("patients:safety", args=[patient.uuid]), data)
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.safety_notes == notes


def test_a_control_character_in_the_safety_notes_is_refused(practitioner_client, patient):
    url = reverse("patients:safety", args=[patient.uuid])
    response = practitioner_client.post(url, {"safety_notes": "Faints\x1b easily"})
    assert response.status_code == 400
    assert field_error(response, "safety_notes") == text.MESSAGE
    patient.refresh_from_db()
    assert patient.safety_notes == ""


def test_a_control_character_in_an_invitation_is_refused(practitioner_client):
    data = {"given_name": "Jo\x00", "family_name": "Kim", "email": "", "phone": ""}
    response = practitioner_client.post(reverse("patients:invite"), data)
    assert response.status_code == 400
    assert field_error(response, "given_name") == text.MESSAGE
    assert not Patient.objects.filter(family_name="Kim").exists()


def test_a_search_with_a_nul_is_a_400_with_the_message(practitioner_client, patient):
    response = practitioner_client.get(reverse("patients:list"), {"q": "Sil\x00va"})
    assert response.status_code == 400
    assert text.MESSAGE in html(response)


def test_a_red_flag_review_with_a_control_character_is_refused(practitioner_client, patient):
    intake = SubmittedIntakeFactory(patient=patient, red_flags={"saddle": "yes"})
    url = reverse("patients:review_red_flags", args=[patient.uuid, intake.pk])
    response = practitioner_client.post(url, {"action": "safe", "notes": "Seen\x00"})
    assert response.status_code == 400
    assert text.MESSAGE in html(response)
    assert not hasattr(Intake.objects.get(pk=intake.pk), "red_flag_review")


def test_a_phase_change_reason_with_a_control_character_is_refused(
    practitioner_client, practitioner, patient
):
    StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(30))
    url = reverse("patients:phase_change", args=[patient.uuid])
    data = {"phase": 2, "started_on": today().isoformat(), "reason": "Better\x07"}
    response = practitioner_client.post(url, data)
    assert response.status_code == 400
    assert text.MESSAGE in html(response)
    assert patient.phase_changes.count() == 1


def test_a_check_in_with_a_nul_is_a_400(client, patient):
    _, token = PatientLink.issue(patient, PatientLink.Purpose.CHECKIN)
    data = {"pain_average": "5\x00", "pain_now": "4", "pain_worst": "6", "enjoyment": "3"}
    data |= {"activity": "3", "confidence": "5", "active_minutes": "60"}
    response = client.post(checkin_url(token), data)
    assert response.status_code == 400
    assert not patient.checkins.exists()


@pytest.fixture
def intake_token(practitioner):
    return intake_link(InvitedPatientFactory(practitioner=practitioner))[1]


def the_draft(step):
    return Intake.objects.get().answers["_drafts"][step]


@pytest.mark.parametrize(
    "step, name",
    [
        ("about", "given_name"),
        ("about", "emergency_contact_name"),
        ("pain", "complaint"),
        ("pain", "worse"),
        ("measures", "psfs_1"),
        ("health", "medicines"),
        ("goals", "goals"),
        ("consent", "signature"),
    ],
)
def test_a_nul_in_an_intake_answer_is_refused_and_kept_out_of_the_draft(
    client, intake_token, step, name
):
    data = answers_for(step, **{name: "Walking\x00 the dog"})
    response = client.post(step_url(intake_token, step), data)
    assert response.status_code == 400
    assert text.MESSAGE in html(response)
    assert "Walking" in html(response)
    assert the_draft(step)[name] == ["Walking the dog"]
    # The draft is shown again when the patient comes back to the step.
    again = client.get(step_url(intake_token, step))
    assert "Walking the dog" in html(again)


def test_a_nul_in_an_intake_choice_is_refused_and_kept_out_of_the_draft(client, intake_token):
    data = answers_for("pain", since="1y_5y\x00", regions=["lower_back", "\x00"])
    response = client.post(step_url(intake_token, "pain"), data)
    assert response.status_code == 400
    draft = the_draft("pain")
    assert draft["since"] == ["1y_5y"]
    assert draft["regions"] == ["lower_back", ""]


# Intake drafts


def test_a_draft_keeps_only_the_steps_own_fields(client, intake_token):
    data = answers_for("goals", goals="x" * 2001) | {"padding": "y" * 100_000, "then": "review"}
    client.post(step_url(intake_token, "goals"), data)
    assert the_draft("goals") == {"goals": ["x" * 2001]}


def test_a_draft_keeps_each_answer_within_bounds(client, intake_token):
    """A text answer up to twice its length (one a little too long is shown again, whole,
    with its message), a choice up to 50 characters, as many choices as there are."""
    data = answers_for(
        "pain",
        complaint="c" * 5000,
        since="s" * 100_000,
        regions=["lower_back"] * 900,
        feels_like=None,
    )
    response = client.post(step_url(intake_token, "pain"), data)
    assert response.status_code == 400
    assert "at most 1000 characters" in html(response)
    draft = the_draft("pain")
    assert draft["complaint"] == ["c" * 2000]
    assert draft["since"] == ["s" * 50]
    assert len(draft["regions"]) <= len(STEP_FORMS["pain"]().fields["regions"].choices)
    assert set(draft) <= set(STEP_FORMS["pain"]().fields)


def test_seven_hostile_posts_leave_a_small_record(client, intake_token):
    for n in range(7):
        junk = {f"field_{n}_{i}": "z" * 10_000 for i in range(20)}
        client.post(step_url(intake_token, "about"), {"given_name": "Bea", **junk})
    assert len(json.dumps(Intake.objects.get().answers)) < 2_000


# Page numbers


# As Django's Paginator.get_page: a number past either end shows the last page, one that is
# not a whole number the first.
OUT_OF_RANGE = [("99999999999999999999", 2), ("3", 2), ("-1", 2), ("0", 2), ("abc", 1), ("1.5", 1)]


@pytest.mark.parametrize("number, shown", OUT_OF_RANGE)
def test_a_page_number_out_of_range_shows_the_last_or_first_page(
    practitioner_client, number, shown
):
    PatientFactory.create_batch(30)
    response = practitioner_client.get(reverse("patients:list"), {"page": number})
    assert response.status_code == 200
    assert response.context["page"].number == shown


@pytest.mark.parametrize("number, shown", OUT_OF_RANGE)
def test_a_timeline_page_out_of_range_shows_the_last_or_first_page(
    practitioner_client, practitioner, patient, number, shown
):
    for n in range(12):
        SessionOnDateFactory(patient=patient, practitioner=practitioner, on=days_ago(40 - n))
    url = reverse("patients:detail", args=[patient.uuid])
    response = practitioner_client.get(url, {"page": number})
    assert response.status_code == 200
    assert response.context["sessions"].number == shown


@pytest.mark.parametrize("number", ["99999999999999999999", "-1", "abc"])
def test_an_intake_queue_page_out_of_range_is_shown(practitioner_client, patient, number):
    SubmittedIntakeFactory(patient=patient)
    response = practitioner_client.get(reverse("patients:intake_queue"), {"page": number})
    assert response.status_code == 200
    assert response.context["page"].number == 1


# Two "new patient" posts for the same person


def test_the_same_patient_added_meanwhile_gets_the_forms_message(practitioner_client, monkeypatch):
    """The other post saved the patient after this one's check and before its INSERT
    (simulated: this post's check does not see it)."""
    PatientFactory(given_name="Rosa", family_name="Mendes", date_of_birth=datetime.date(1961, 2, 3))
    monkeypatch.setattr(Patient, "validate_constraints", lambda self, exclude=None: None)
    response = practitioner_client.post(reverse("patients:create"), NEW_PATIENT)
    assert response.status_code == 400
    assert "already registered" in html(response)
    assert 'value="Mendes"' in html(response)
    assert Patient.objects.filter(family_name="Mendes").count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one write transaction at a time"
)
def test_two_new_patient_posts_at_once_give_one_patient_and_the_message(
    browser_db, practitioner, caplog
):
    """The first post's transaction holds the new row; the second passed its check (it
    cannot see an uncommitted row) and waits at its INSERT for the first to commit."""
    responses = []

    def add_and_hold(hold):
        with transaction.atomic():
            PatientFactory(
                given_name="Rosa", family_name="Mendes", date_of_birth=datetime.date(1961, 2, 3)
            )
            hold()

    def post_the_form():
        client = Client()
        client.force_login(practitioner)
        responses.append(client.post(reverse("patients:create"), NEW_PATIENT))

    # The second waits at its INSERT for the first to commit.
    assert waits_for(add_and_hold, post_the_form, wait=1)
    assert responses[0].status_code == 400
    assert "already registered" in html(responses[0])
    assert Patient.objects.filter(family_name="Mendes").count() == 1
    assert "Mendes" not in caplog.text and "1961-02-03" not in caplog.text
