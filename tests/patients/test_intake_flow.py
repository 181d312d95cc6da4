"""The patient fills in the intake through their link: step by step, saved as they go,
checked on a review page, then sent once."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from patients.models import ConsentVersion, Intake, Patient
from patients.models.intake import STEP_KEYS
from tests.html import field_error, field_html, html, page_text, text
from tests.intake_helpers import (
    PATIENT_ACTOR,
    VALID_ANSWERS,
    answer_steps,
    answers_for,
    intake_link,
    review_url,
    start_url,
    step_url,
    submit_url,
)

THANKS = reverse("intake:thanks")


@pytest.fixture
def token(invited):
    """The invited patient's intake link, as they hold it."""
    return intake_link(invited)[1]


def the_intake(patient):
    return Intake.objects.get(patient=patient)


# Moving through the steps


def test_the_link_opens_on_a_welcome_page_without_logging_in(client, token, settings):
    response = client.get(start_url(token))
    assert response.status_code == 200
    text = page_text(response)
    assert f"Welcome to {settings.CLINIC_NAME}" in text
    assert "About 8 minutes: 7 short steps" in text
    assert "Saved as you go" in text
    assert "Who sees them: the clinic's practitioners and its administrators" in text
    start = re.search(r'<a class="btn[^"]*" href="([^"]+)">Start</a>', html(response))
    assert start.group(1) == step_url(token, "about")
    page = client.get(start.group(1))
    assert page.status_code == 200
    assert "Step 1 of 7" in page.content.decode()


def test_the_welcome_page_says_until_when_the_link_works(client, invited, token):
    text = page_text(client.get(start_url(token)))
    expires = timezone.localtime(Intake.objects.get(patient=invited).link.expires_at)
    assert f"until {expires:%-d %b %Y}" in text


def test_the_welcome_page_is_not_cached_and_is_audited(client, invited, token):
    response = client.get(start_url(token))
    assert "no-store" in response["Cache-Control"]
    intake = Intake.objects.get(patient=invited)
    event = AuditEvent.objects.filter(detail="intake welcome page").get()
    assert (event.action, event.object_id) == ("view", str(intake.pk))


def test_a_patient_who_has_begun_goes_straight_back_to_their_step(client, token):
    answer_steps(client, token, ["about"])
    assert client.get(start_url(token))["Location"] == step_url(token, "pain")


def test_the_first_step_shows_what_the_clinic_already_knows(client, token):
    response = client.get(step_url(token, "about"))
    assert 'value="Bea"' in field_html(response, "id_given_name")
    assert 'value="bea.costa@example.org"' in field_html(response, "id_email")


def test_each_valid_step_is_saved_and_leads_to_the_next(client, invited, token):
    response = client.post(step_url(token, "about"), answers_for("about"))
    assert response.status_code == 302
    assert response["Location"] == step_url(token, "pain")
    intake = the_intake(invited)
    assert intake.answers["about"]["given_name"] == "Beatriz"
    assert intake.answers["about"]["date_of_birth"] == "1984-03-12"
    assert intake.step == "pain"


def test_the_last_step_leads_to_the_review(client, token):
    answer_steps(client, token, STEP_KEYS[:-1])
    response = client.post(step_url(token, "consent"), answers_for("consent"))
    assert response["Location"] == review_url(token)


def test_the_patient_resumes_at_the_first_unanswered_step(client, token):
    answer_steps(client, token, ["about", "pain"])
    response = client.get(start_url(token))
    assert response.status_code == 302
    assert response["Location"] == step_url(token, "measures")


def test_the_patient_resumes_at_the_review_once_every_step_is_answered(client, token):
    answer_steps(client, token)
    assert client.get(start_url(token))["Location"] == review_url(token)


def test_a_step_shows_the_saved_answers_when_the_patient_goes_back(client, token):
    answer_steps(client, token, ["about", "pain", "measures"])
    response = client.get(step_url(token, "measures"))
    assert 'value="Walking the dog"' in field_html(response, "id_psfs_1")
    assert "checked" in field_html(response, "id_pain_average_7")  # the button for 7


def test_a_changed_step_can_go_straight_back_to_the_review(client, token):
    answer_steps(client, token)
    data = answers_for("goals", goals="Pick up my grandson.", then="review")
    response = client.post(step_url(token, "goals"), data)
    assert response["Location"] == review_url(token)


# Bad input: refused next to the field, and what was typed is kept

FUTURE = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
DUE = (timezone.localdate() + datetime.timedelta(days=120)).isoformat()

BAD_INPUT = {
    "pain above ten": (
        "measures",
        {"pain_now": "11"},
        "pain_now",
        "Ensure this value is less than or equal to 10.",
        ("id_pain_average_7", "checked"),  # the scale has no 11 to keep; the other answers
    ),
    "fewer than three PSFS activities": (
        "measures",
        {"psfs_3": "", "psfs_3_rating": ""},
        "psfs_1",
        "Name at least 3 activities that are hard for you now.",
        ("id_psfs_2", 'value="Gardening"'),
    ),
    "a PSFS activity without a rating": (
        "measures",
        {"psfs_4": "Climbing stairs"},
        "psfs_4_rating",
        "Rate this activity from 0 to 10.",
        ("id_psfs_4", 'value="Climbing stairs"'),
    ),
    "a date of birth in the future": (
        "about",
        {"date_of_birth": FUTURE},
        "date_of_birth",
        "The date of birth cannot be in the future.",
        ("id_date_of_birth", f'value="{FUTURE}"'),
    ),
    "a missing signature": (
        "consent",
        {"signature": ""},
        "signature",
        "This field is required.",
        ("id_agree", "checked"),
    ),
    "a signature of two letters": (
        "consent",
        {"signature": "Bo"},
        "signature",
        "Type your full name.",
        ("id_signature", 'value="Bo"'),
    ),
    "a complaint of 1001 characters": (
        "pain",
        {"complaint": "x" * 1001},
        "complaint",
        "Ensure this value has at most 1000 characters (it has 1001).",
        ("id_complaint", "x" * 1001 + "</textarea>"),
    ),
    "a due date while not pregnant": (
        "health",
        {"pregnant": "no", "due_date": DUE},
        "due_date",
        "You answered that you are not pregnant.",
        ("id_due_date", f'value="{DUE}"'),
    ),
    "an unanswered safety question": (
        "health",
        {"anticoagulants": None, "conditions": "Asthma and eczema"},
        "anticoagulants",
        "This field is required.",
        ("id_conditions", "Asthma and eczema</textarea>"),
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_refused_next_to_the_field_and_kept(client, invited, token, case):
    step, changes, field, message, (field_id, typed) = BAD_INPUT[case]
    response = client.post(step_url(token, step), answers_for(step, **changes))
    assert response.status_code == 400
    assert field_error(response, field) == message
    assert typed in field_html(response, field_id)
    assert step not in the_intake(invited).answers

    # Closed and opened again: the typed values and the message are still there.
    again = client.get(step_url(token, step))
    assert again.status_code == 200
    assert typed in field_html(again, field_id)
    assert field_error(again, field) == message


def test_a_refused_step_is_where_the_patient_resumes(client, token):
    answer_steps(client, token, ["about", "pain", "measures"])
    client.post(step_url(token, "about"), answers_for("about", date_of_birth=FUTURE))
    assert client.get(start_url(token))["Location"] == step_url(token, "about")


def test_a_corrected_step_replaces_the_draft(client, invited, token):
    client.post(step_url(token, "measures"), answers_for("measures", pain_now="11"))
    assert client.post(step_url(token, "measures"), answers_for("measures")).status_code == 302
    response = client.get(step_url(token, "measures"))
    assert "checked" in field_html(response, "id_pain_now_6")
    assert field_error(response, "pain_now") == ""
    assert the_intake(invited).answers["measures"]["pain_now"] == 6


# The review page


def test_the_review_lists_the_answers_and_the_steps_still_missing(client, token):
    answer_steps(client, token, ["about", "pain", "measures"])
    response = client.get(review_url(token))
    assert response.status_code == 200
    page = response.content.decode()
    for answer in ["Beatriz", "Walking the dog", "Lower back, Left buttock", "1 to 5 years"]:
        assert answer in page
    missing = [title for step, title in response.context["missing"]]
    assert missing == ["Your health", "Important symptoms", "Your goals", "Consent"]
    for step in ["health", "red_flags", "goals", "consent"]:
        assert f'href="{step_url(token, step)}"' in page
    assert submit_url(token) not in page


def test_the_review_offers_to_send_once_every_step_is_answered(client, token):
    answer_steps(client, token)
    response = client.get(review_url(token))
    assert response.context["missing"] == []
    page = response.content.decode()
    assert submit_url(token) in page
    assert "Beatriz Costa" in page  # the signature
    assert "see a doctor today" not in page


def test_the_review_shows_one_line_an_answer_and_an_edit_link_a_step(client, token):
    answer_steps(client, token, changes={"health": {"lymphoedema_limb": "left_arm"}})
    page = html(client.get(review_url(token)))
    lines = [text(line) for line in re.findall(r"<li>(.*?)</li>", page, re.S)]
    assert "Date of birth: 12 Mar 1984" in lines  # the app's dates, not the stored ISO
    assert "Your pain right now: 6" in lines
    assert "Have you had acupuncture before? No" in lines  # no colon after a question mark
    assert any(
        line.startswith("Do you have lymphoedema") and line.endswith("Left arm") for line in lines
    )
    for step in STEP_KEYS:
        assert page.count(f'href="{step_url(token, step)}"') == 1
    assert page.count(">Edit<") == len(STEP_KEYS)


def review_lines(client, token):
    page = html(client.get(review_url(token)))
    return [text(line) for line in re.findall(r"<li>(.*?)</li>", page, re.S)]


def test_the_review_writes_a_group_of_no_answers_as_one_line(client, token):
    answer_steps(client, token)
    lines = review_lines(client, token)
    assert "All 10 safety questions: No" in lines  # pregnancy and the 9 others
    assert "All 11 questions: No" in lines  # the red flags
    assert not any(line.startswith("Do you have epilepsy") for line in lines)
    assert "Have you had acupuncture before? No" in lines  # not one of the group


def test_the_review_lists_each_yes_and_then_the_other_no_answers(client, token):
    changes = {"health": {"epilepsy": "yes", "pregnant": "unsure"}, "red_flags": {"fever": "yes"}}
    answer_steps(client, token, changes=changes)
    lines = review_lines(client, token)
    health = lines.index("Do you have epilepsy or seizures? Yes")
    assert lines.index("Are you pregnant, or could you be? Not sure") < health
    assert lines[health + 1] == "The other 8 safety questions: No"
    fever = lines.index("Have you had a fever, chills or night sweats? Yes")
    assert lines[fever + 1] == "The other 10 questions: No"


def test_an_incomplete_intake_cannot_be_sent(client, invited, token):
    answer_steps(client, token, STEP_KEYS[:-1])
    response = client.post(submit_url(token))
    assert response["Location"] == review_url(token)
    intake = the_intake(invited)
    assert intake.status == "started"
    assert intake.submitted_at is None
    assert client.get(start_url(token)).status_code == 302  # the link still works


# Sending


def test_sending_stores_one_submitted_intake_with_the_consent(client, invited, token):
    answer_steps(client, token)
    before = timezone.now()
    response = client.post(submit_url(token))
    assert response["Location"] == THANKS
    intake = the_intake(invited)
    assert intake.status == "submitted"
    assert intake.consent_version == ConsentVersion.objects.get(version="2026.1")
    assert intake.consent_name == "Beatriz Costa"
    assert before <= intake.consent_at <= timezone.now()
    assert intake.submitted_at == intake.consent_at
    assert intake.consent_ip == "127.0.0.1"
    assert (intake.has_red_flags, intake.urgent, intake.red_flags) == (False, False, [])
    assert intake.link.state == "used"
    assert Intake.objects.count() == 1


def test_the_consent_shown_is_the_one_stored(client, invited, token):
    answer_steps(client, token, STEP_KEYS[:-1])
    page = client.get(step_url(token, "consent")).content.decode()
    assert "Consent to treatment (version 2026.1)" in page


def test_a_patient_whose_signed_consent_text_is_gone_is_asked_to_sign_again(client, invited, token):
    answer_steps(client, token)
    ConsentVersion.objects.all().delete()
    ConsentVersion.objects.create(version="2026.2", text="The new consent text.")
    response = client.post(submit_url(token))
    assert response["Location"] == review_url(token)
    assert the_intake(invited).status == "started"
    review = client.get(review_url(token))
    assert [step for step, _ in review.context["missing"]] == ["consent"]


def test_the_thanks_page_says_the_answers_were_sent(client, token):
    answer_steps(client, token)
    response = client.post(submit_url(token), follow=True)
    page = response.content.decode()
    assert "Your answers have been sent to the clinic." in page
    assert "see a doctor today" not in page


def test_a_second_send_changes_nothing_and_the_link_is_then_dead(client, invited, token):
    answer_steps(client, token)
    client.post(submit_url(token))
    first = the_intake(invited)
    events = AuditEvent.objects.count()

    second = client.post(submit_url(token))  # a double click: thanks again, nothing more
    assert second.status_code == 302
    assert second["Location"] == reverse("intake:thanks")
    assert client.get(reverse("intake:start", kwargs={"token": token})).status_code == 404
    again = the_intake(invited)
    assert (again.status, again.submitted_at, again.updated_at) == (
        "submitted",
        first.submitted_at,
        first.updated_at,
    )
    assert Intake.objects.count() == 1
    assert AuditEvent.objects.count() == events
    for url in [start_url(token), step_url(token, "about"), review_url(token)]:
        assert client.get(url).status_code == 404
    changed = client.post(step_url(token, "goals"), answers_for("goals", goals="Something else"))
    assert changed.status_code == 404
    assert the_intake(invited).answers["goals"] == VALID_ANSWERS["goals"]


def test_sending_makes_an_invited_patient_intake_submitted(client, invited, token):
    answer_steps(client, token)
    client.post(submit_url(token))
    invited.refresh_from_db()
    assert invited.status == Patient.Status.INTAKE_SUBMITTED
    assert invited.date_of_birth is None  # copied only when the clinic accepts the intake


def test_sending_leaves_an_active_patients_status_alone(client, patient):
    _, token = intake_link(patient)
    answer_steps(client, token)
    client.post(submit_url(token))
    patient.refresh_from_db()
    assert patient.status == Patient.Status.ACTIVE
    assert the_intake(patient).status == "submitted"


# Red flags


def test_numbness_in_the_saddle_area_makes_the_intake_urgent(client, invited, token):
    answer_steps(client, token, changes={"red_flags": {"saddle": "yes"}})
    review = client.get(review_url(token)).content.decode()
    assert "see a doctor today" in review

    response = client.post(submit_url(token), follow=True)
    assert response.redirect_chain[-1][0] == THANKS + "?urgent=1"
    assert "see a doctor today" in response.content.decode()
    intake = the_intake(invited)
    assert (intake.has_red_flags, intake.urgent, intake.red_flags) == (True, True, ["saddle"])


@pytest.mark.parametrize("flag", ["bladder_bowel", "leg_weakness"])
def test_the_other_urgent_flags_make_the_intake_urgent_too(client, invited, token, flag):
    answer_steps(client, token, changes={"red_flags": {flag: "yes"}})
    client.post(submit_url(token))
    assert the_intake(invited).urgent is True


def test_a_red_flag_that_is_not_urgent_flags_the_intake_without_the_warning(client, invited, token):
    answer_steps(client, token, changes={"red_flags": {"fever": "yes", "cancer": "yes"}})
    response = client.post(submit_url(token), follow=True)
    assert response.redirect_chain[-1][0] == THANKS
    assert "see a doctor today" not in response.content.decode()
    intake = the_intake(invited)
    assert (intake.has_red_flags, intake.urgent) == (True, False)
    assert intake.red_flags == ["fever", "cancer"]


def test_every_red_flag_question_must_be_answered(client, invited, token):
    data = answers_for("red_flags", saddle=None)
    response = client.post(step_url(token, "red_flags"), data)
    assert response.status_code == 400
    assert field_error(response, "saddle") == "This field is required."


# The audit trail


def test_everything_the_patient_sends_is_audited_as_the_patient(client, invited, token):
    first_id = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    answer_steps(client, token)
    client.post(submit_url(token))

    events = AuditEvent.objects.filter(id__gt=first_id)
    assert {(e.actor, e.user_id, e.patient_uuid) for e in events} == {
        (PATIENT_ACTOR, None, invited.uuid)
    }
    assert {e.ip_address for e in events} == {"127.0.0.1"}
    details = [e.detail for e in events.order_by("id")]
    assert [d for d in details if d.startswith("intake step")] == [
        f"intake step: {step}" for step in STEP_KEYS
    ]
    assert "intake submitted" in details
    intake = the_intake(invited)
    assert events.filter(object_type="patients.intake", object_id=str(intake.pk)).exists()
    assert events.filter(object_type="patients.patient", action="change").exists()
