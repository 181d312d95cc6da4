"""The intake's pain map partial: the checkbox list is the real input; the drawn map mirrors it."""

from collections import Counter

from django import forms
from django.template.loader import render_to_string

from patients.bodymap import BACK, FRONT, LABELS, REGIONS
from tests.html import Markup

TEMPLATE = "patients/intake/_bodymap.html"


class IntakeForm(forms.Form):
    regions = forms.MultipleChoiceField(
        choices=REGIONS, widget=forms.CheckboxSelectMultiple, required=False
    )


class RequiredIntakeForm(forms.Form):
    regions = forms.MultipleChoiceField(
        choices=REGIONS, widget=forms.CheckboxSelectMultiple, required=True
    )


def render(form):
    return render_to_string(TEMPLATE, {"field": form["regions"], "front": FRONT, "back": BACK})


def render_chosen(*keys):
    return render(IntakeForm(data={"regions": list(keys)}))


def test_every_region_is_offered_once_as_a_checkbox_with_its_label():
    page = Markup(render_chosen("lower_back", "calf_l"))
    boxes = page.checkboxes()

    assert Counter(box["value"] for box in boxes) == Counter(key for key, _ in REGIONS)
    for box in boxes:
        key = box["value"]
        assert box["name"] == "regions"
        assert box["id"] == f"bodymap-{key}"
        assert "form-check-input" in box["class"].split()
        assert page.label_text[f"bodymap-{key}"].strip() == LABELS[key]


def test_front_and_back_regions_are_listed_in_their_own_fieldsets():
    html = render_chosen()
    front_part, back_part = html.split("<legend", 2)[1:]

    assert front_part.lstrip().startswith('class="bodymap-legend">Front of the body</legend>')
    assert back_part.lstrip().startswith('class="bodymap-legend">Back of the body</legend>')
    assert [b["value"] for b in Markup(front_part).checkboxes()] == [k for k, _ in FRONT]
    assert [b["value"] for b in Markup(back_part).checkboxes()] == [k for k, _ in BACK]


def test_every_region_is_drawn_once_on_the_map_as_a_labelled_checkbox():
    regions = Markup(render_chosen("lower_back", "calf_l")).map_regions()

    assert Counter(r["data-region"] for r in regions) == Counter(key for key, _ in REGIONS)
    for region in regions:
        assert region["role"] == "checkbox"
        assert region["tabindex"] == "0"
        assert region["aria-label"] == LABELS[region["data-region"]]
        assert region["aria-checked"] == "false"
        assert "bodymap-region" in region["class"].split()


def test_the_patients_choices_are_ticked_and_no_others():
    boxes = Markup(render_chosen("lower_back", "calf_l")).checkboxes()

    ticked = {box["value"] for box in boxes if "checked" in box}
    assert ticked == {"lower_back", "calf_l"}


def test_nothing_is_ticked_on_a_blank_form():
    boxes = Markup(render(IntakeForm())).checkboxes()

    assert boxes
    assert not any("checked" in box for box in boxes)


def test_the_map_stays_hidden_until_the_script_shows_it():
    elements = Markup(render_chosen()).elements

    (container,) = [a for _, a in elements if "data-bodymap" in a]
    assert {"bodymap", "d-none"} <= set(container["class"].split())
    assert any(a.get("aria-live") == "polite" for _, a in elements)


def test_the_list_has_a_button_to_fold_it_that_only_the_script_shows():
    elements = Markup(render_chosen()).elements

    (toggle,) = [(t, a) for t, a in elements if "data-bodymap-toggle" in a]
    tag, attrs = toggle
    assert (tag, attrs["type"], attrs["aria-controls"]) == ("button", "button", "bodymap-lists")
    assert "d-none" in attrs["class"].split()  # without JavaScript the list is all there is
    (lists,) = [a for _, a in elements if a.get("id") == "bodymap-lists"]
    assert "data-bodymap-lists" in lists and "hidden" not in lists


def test_a_validation_error_shows_under_the_list():
    form = RequiredIntakeForm(data={})
    assert not form.is_valid()

    page = Markup(render(form))

    (feedback,) = [a for _, a in page.elements if a.get("id") == "bodymap-errors"]
    assert "invalid-feedback" in feedback["class"].split()
    assert str(form.errors["regions"][0]) in render(form)


def test_the_markup_obeys_the_content_security_policy():
    html = render_chosen("lower_back", "calf_l")

    assert "style=" not in html
    assert "<style" not in html
    assert "<script" not in html
    assert not any(name.startswith("on") for _, attrs in Markup(html).elements for name in attrs)
