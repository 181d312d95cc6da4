"""The patient's scales and Yes/No questions are buttons now, and take the same answers as
the number boxes and radio lists did: the same names, the same values posted, the same
ranges refused; drawn as radio inputs in a fieldset, the question its legend."""

import pytest

from patients.forms import CheckInForm
from patients.forms.intake import HealthForm, MeasuresForm, PainForm, RedFlagsForm
from patients.forms.widgets import ChoiceButtons, ChoiceChips, ScaleButtons
from patients.models import PsfsActivity
from tests.html import Markup
from tests.intake_helpers import answers_for

SCALES = ["pain_now", "pain_average", "pain_worst", "enjoyment", "activity", "confidence"]


def test_the_measures_take_the_same_post_as_before_and_keep_the_same_values():
    form = MeasuresForm(answers_for("measures"))  # what the number boxes posted
    assert form.is_valid(), form.errors
    assert {name: form.cleaned_data[name] for name in SCALES} == {
        "pain_now": 6, "pain_average": 7, "pain_worst": 9, "enjoyment": 6, "activity": 7,
        "confidence": 4,
    }  # fmt: skip
    assert [form.cleaned_data[f"psfs_{n}_rating"] for n in range(1, 6)] == [4, 3, 6, None, None]
    assert form.cleaned_data["active_minutes"] == 90


@pytest.mark.parametrize(("value", "message"), [
    ("11", "Ensure this value is less than or equal to 10."),
    ("-1", "Ensure this value is greater than or equal to 0."),
    ("six", "Enter a whole number."),
    ("", "This field is required."),
])  # fmt: skip
def test_a_score_outside_0_to_10_is_refused_as_before(value, message):
    form = MeasuresForm(answers_for("measures", pain_worst=value))
    assert not form.is_valid()
    assert form.errors["pain_worst"] == [message]


def test_the_check_in_takes_the_same_post_as_before(db, patient):
    activity = PsfsActivity.objects.create(patient=patient, name="Gardening", position=1)
    data = dict.fromkeys(SCALES, "5") | {"active_minutes": "120", f"psfs_{activity.pk}": "7"}
    form = CheckInForm(data, activities=[activity])
    assert form.is_valid(), form.errors
    assert form.cleaned_data[f"psfs_{activity.pk}"] == 7
    assert form.cleaned_data["pain_now"] == 5
    refused = CheckInForm(data | {f"psfs_{activity.pk}": "12"}, activities=[activity])
    assert not refused.is_valid()


def test_yes_no_answers_post_and_store_as_before():
    health = HealthForm(answers_for("health"))
    red_flags = RedFlagsForm(answers_for("red_flags", saddle="yes"))
    assert health.is_valid() and red_flags.is_valid()
    assert (health.cleaned_data["epilepsy"], red_flags.cleaned_data["saddle"]) == ("no", "yes")
    assert not RedFlagsForm(answers_for("red_flags", saddle="maybe")).is_valid()


def test_every_score_and_yes_no_question_is_drawn_as_buttons():
    measures, health, pain = MeasuresForm(), HealthForm(), PainForm()
    for name in [*SCALES, *(f"psfs_{n}_rating" for n in range(1, 6))]:
        assert isinstance(measures.fields[name].widget, ScaleButtons), name
    for name, field in [*health.fields.items(), *RedFlagsForm().fields.items()]:
        if hasattr(field, "choices"):
            assert isinstance(field.widget, ChoiceButtons), name
    assert isinstance(pain.fields["since"].widget, ChoiceButtons)
    assert isinstance(pain.fields["feels_like"].widget, ChoiceChips)
    minutes = measures["active_minutes"].as_field_group()
    assert 'type="number"' in minutes and 'inputmode="numeric"' in minutes


def test_a_scale_is_eleven_radio_buttons_in_a_fieldset_with_its_anchors():
    form = MeasuresForm(initial={"pain_now": 7})
    html = form["pain_now"].as_field_group()
    page = Markup(html)
    radios = [a for t, a in page.elements if t == "input"]
    assert [r["value"] for r in radios] == [str(n) for n in range(11)]
    assert {r["type"] for r in radios} == {"radio"} and {r["name"] for r in radios} == {"pain_now"}
    assert [r["id"] for r in radios if "checked" in r] == ["id_pain_now_7"]
    assert [page.label_text[r["id"]] for r in radios] == [str(n) for n in range(11)]
    (fieldset,) = [a for t, a in page.elements if t == "fieldset"]
    assert fieldset["aria-describedby"] == "id_pain_now_helptext"  # the anchors, read out
    assert "<legend" in html and "Your pain right now" in html
    assert "<span>0: no pain</span><span>10: worst pain imaginable</span>" in html
    assert 'id="id_pain_now_helptext" class="form-text">0 = no pain, 10 = worst pain' in html


def test_a_refused_scale_says_why_under_it():
    form = MeasuresForm(answers_for("measures", pain_now=None))
    form.is_valid()
    html = form["pain_now"].as_field_group()
    assert 'aria-invalid="true"' in html and "btn-check is-invalid" in html
    assert 'id="id_pain_now_error" class="invalid-feedback"' in html
    assert "This field is required." in html


def test_yes_and_no_are_two_buttons_beside_the_question():
    html = HealthForm()["epilepsy"].as_field_group()
    page = Markup(html)
    radios = [a for t, a in page.elements if t == "input"]
    assert [(r["type"], r["value"]) for r in radios] == [("radio", "yes"), ("radio", "no")]
    assert [page.label_text[r["id"]] for r in radios] == ["Yes", "No"]
    assert 'class="choice-buttons choice-inline"' in html
