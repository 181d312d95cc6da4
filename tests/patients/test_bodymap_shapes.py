"""The pain map's shapes drawn on the intake review (patients.bodymap_shapes) are the ones
the patient taps on the intake form (templates/patients/intake/_bodymap.html): a change to
either drawing shows here."""

from django import forms
from django.template.loader import render_to_string

from patients.bodymap import BACK, FRONT, REGIONS
from patients.bodymap_shapes import SHAPES
from patients.intake_summary import areas
from tests.html import Markup

NOT_GEOMETRY = {"class", "data-region", "role", "tabindex", "aria-label", "aria-checked"}


class PainForm(forms.Form):
    regions = forms.MultipleChoiceField(choices=REGIONS, widget=forms.CheckboxSelectMultiple)


def drawn(markup):
    """{area: (element, its geometry)} of each drawn area."""
    return {
        attrs["data-region"]: (
            tag,
            {name: value for name, value in attrs.items() if name not in NOT_GEOMETRY},
        )
        for tag, attrs in Markup(markup).elements
        if "data-region" in attrs
    }


def test_every_area_has_the_shape_it_has_on_the_intake_form():
    form = render_to_string(
        "patients/intake/_bodymap.html",
        {"field": PainForm()["regions"], "front": FRONT, "back": BACK},
    )
    assert drawn(form) == SHAPES


def test_the_review_draws_each_area_with_that_shape():
    review = "".join(
        render_to_string(
            "patients/_bodymap_marked.html",
            {"areas": areas(regions, ["chest"]), "view": view, "title": view, "caption": view},
        )
        for view, regions in [("front", FRONT), ("back", BACK)]
    )
    assert drawn(review) == SHAPES
