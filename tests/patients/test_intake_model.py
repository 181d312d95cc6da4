"""The intake's steps, drafts and answers, asked of the Intake itself
(patients.models.intake); its step forms in patients.forms.intake."""

import datetime

import pytest
from django.http import QueryDict

from patients.forms import STEP_FORMS, ConsentForm, step_form
from patients.models import ConsentVersion, Intake, Patient
from patients.models.intake import DRAFTS, SAFETY_QUESTIONS, STEP_KEYS
from tests.factories import InvitedPatientFactory
from tests.intake_helpers import answers_for, intake_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def intake():
    patient = InvitedPatientFactory(phone="07700 900111")
    link, _ = intake_link(patient)
    return Intake.objects.create(link=link, patient=patient)


def cleaned(step, **changes):
    data = QueryDict(mutable=True)
    for name, value in answers_for(step, **changes).items():
        data.setlist(name, value if isinstance(value, list) else [value])
    form = STEP_FORMS[step](data)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def test_every_step_has_its_form_in_order():
    assert list(STEP_FORMS) == STEP_KEYS


def test_a_step_is_followed_by_the_next_and_the_last_by_itself():
    assert Intake.step_after("about") == "pain"
    assert Intake.step_after("goals") == "consent"
    assert Intake.step_after("consent") == "consent"


def test_a_valid_answer_is_kept_as_json_and_the_intake_resumes_at_the_next_step(intake):
    intake.save_draft("about", {"given_name": ["Be"]})
    intake.save_answer("about", cleaned("about"))
    stored = Intake.objects.get(pk=intake.pk)
    assert stored.answers["about"]["date_of_birth"] == "1984-03-12"
    assert stored.answers[DRAFTS] == {}
    assert stored.step == "pain"
    assert stored.missing_steps() == STEP_KEYS[1:]
    assert not stored.all_answered


def test_a_draft_is_kept_and_the_intake_resumes_at_its_step(intake):
    intake.save_draft("pain", {"complaint": ["Neck"]})
    stored = Intake.objects.get(pk=intake.pk)
    assert stored.draft("pain") == {"complaint": ["Neck"]}
    assert stored.draft("about") is None
    assert stored.step == "pain"


def test_the_first_step_starts_from_what_the_clinic_knows(intake):
    Patient.objects.filter(pk=intake.patient_id).update(date_of_birth=datetime.date(1984, 3, 12))
    intake.patient.refresh_from_db()
    initial = intake.initial("about")
    assert (initial["given_name"], initial["phone"]) == ("Bea", "07700 900111")
    assert initial["date_of_birth"] == "1984-03-12"
    assert intake.initial("pain") == {}


def test_a_step_form_shows_its_draft_again(intake):
    intake.save_draft("pain", {"complaint": ["Neck"]})
    form = step_form(intake, "pain")
    assert form.is_bound and form["complaint"].value() == "Neck"


def test_the_consent_answer_keeps_the_version_signed(intake):
    consent = ConsentVersion.objects.create(version="v9", text="We treat with care.")
    data = QueryDict(mutable=True)
    data.update(answers_for("consent"))
    form = ConsentForm(data, consent=consent)
    assert form.is_valid()
    intake.save_answer("consent", form.cleaned_data)
    assert intake.signed_consent() == consent
    consent.delete()
    assert intake.signed_consent() is None
    intake.forget_consent()
    assert "consent" not in Intake.objects.get(pk=intake.pk).answers


def test_consent_cannot_be_given_before_the_clinic_publishes_its_text():
    data = QueryDict(mutable=True)
    data.update(answers_for("consent"))
    form = ConsentForm(data, consent=None)
    assert not form.is_valid()
    assert form.non_field_errors() == ["The clinic has not published its consent text yet."]


def test_the_red_flags_answered_yes_in_the_order_asked(intake):
    intake.save_answer("red_flags", cleaned("red_flags", saddle="yes", fever="yes"))
    assert intake.answered_red_flags() == ["fever", "saddle"]
    assert intake.answered_urgent()
    intake.save_answer("red_flags", cleaned("red_flags", fever="yes"))
    assert not intake.answered_urgent()


def test_the_answers_fill_the_patients_record(intake):
    intake.save_answer("about", cleaned("about"))
    health = cleaned("health", pregnant="unsure", due_date="2030-01-02", epilepsy="yes")
    intake.save_answer("health", health)
    patient = intake.patient
    intake.fill_record(patient)
    assert (patient.given_name, patient.date_of_birth) == ("Beatriz", datetime.date(1984, 3, 12))
    assert (patient.pregnant, patient.pregnancy_due_date) == (True, datetime.date(2030, 1, 2))
    assert (patient.epilepsy, patient.anticoagulants) == (True, False)


def test_the_named_psfs_activities_with_their_ratings(intake):
    intake.save_answer("measures", cleaned("measures"))
    assert intake.psfs_answers() == [
        ("Walking the dog", 4),
        ("Gardening", 3),
        ("Sitting through a film", 6),
    ]


def test_each_health_question_answers_the_patients_flag_of_its_name_in_order():
    assert [flag for flag, _ in SAFETY_QUESTIONS] == Patient.CONDITION_FLAGS
