"""`{{ field.as_field_group }}` (the project's FORM_RENDERER and its field template) draws
every field exactly as crispy-bootstrap5's `|as_crispy_field` does.

Each form the pages draw field by field is checked unbound, with values, and bound with
bad data plus one more error on every field (as the session form's safety check adds them),
so that every field shows its error block too. Markup is compared after collapsing
whitespace and dropping it between tags, where it renders nothing.
"""

import datetime
import re
from pathlib import Path

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from clinic.renderers import WRITTEN
from patients.forms import (
    CheckInForm,
    InviteForm,
    PatientFilterForm,
    PatientForm,
    PhaseChangeForm,
    SafetyFlagsForm,
    intake,
)
from patients.models import Patient
from sessions.forms import AdverseEventFormSet, AmendmentForm, SessionForm
from sessions.models import TreatmentSession
from tests.factories import PatientFactory
from tests.session_factories import AdverseEventFactory, TreatmentSessionFactory
from tests.session_helpers import session_data


def normalised(html):
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


def assert_drawn_as_crispy(form):
    for name in form.fields:
        if getattr(form.fields[name].widget, "draws_itself", False):
            continue  # buttons, not crispy's radios: tests/patients/test_choice_buttons.py
        # Ours first: crispy adds its classes to the widget's attrs as it draws.
        ours = form[name].as_field_group()
        assert normalised(ours) == normalised(as_crispy_field(form[name])), name


def with_errors(form):
    """The form after validation, with one more error on every field."""
    form.is_valid()
    for name in form.fields:
        form.add_error(name, f"Check <{name}> again & again.")
    assert set(form.errors) >= set(form.fields)
    return form


class TestPatientPages:
    def test_the_patient_list_filter(self, practitioner):
        assert_drawn_as_crispy(PatientFilterForm())

    def test_the_patient_list_filter_with_choices_made(self, practitioner):
        data = {"q": "ana", "status": "active", "practitioner": practitioner.pk, "phase": "2"}
        form = PatientFilterForm(data | {"need": "quiet"})
        assert form.is_valid()
        assert_drawn_as_crispy(form)

    def test_the_patient_list_filter_with_errors(self, practitioner):
        data = {"q": "x" * 101, "status": "nope", "practitioner": "0", "phase": "9", "need": "?"}
        assert_drawn_as_crispy(with_errors(PatientFilterForm(data)))

    def test_a_new_patient(self, practitioner):
        assert_drawn_as_crispy(PatientForm(initial={"practitioner": practitioner}))

    def test_a_patient_being_edited(self, patient):
        assert_drawn_as_crispy(PatientForm(instance=patient))

    def test_an_archived_patient_being_edited(self, db):
        patient = PatientFactory(status=Patient.Status.ARCHIVED)
        form = PatientForm(instance=patient)
        assert "status" not in form.fields
        assert_drawn_as_crispy(form)

    def test_a_patient_with_errors(self, patient):
        data = {"given_name": "", "date_of_birth": "2999-01-01", "sex": "x", "email": "bad"}
        form = PatientForm(data | {"practitioner": "0", "status": "archived"}, instance=patient)
        assert_drawn_as_crispy(with_errors(form))

    def test_safety_flags(self, db):
        patient = PatientFactory(
            pregnant=True,
            pregnancy_due_date=datetime.date(2030, 1, 1),
            pregnancy_trimester=2,
            anticoagulants=True,
            lymphoedema_limb="left_arm",
            safety_notes="Faints <easily> & often.",
        )
        assert_drawn_as_crispy(SafetyFlagsForm(instance=patient))

    def test_safety_flags_with_errors(self, patient):
        data = {"pregnancy_due_date": "2030-01-01", "pregnancy_trimester": "2", "epilepsy": "on"}
        form = SafetyFlagsForm(data | {"lymphoedema_limb": "tail"}, instance=patient)
        assert_drawn_as_crispy(with_errors(form))

    def test_an_invitation(self, db):
        assert_drawn_as_crispy(InviteForm())

    def test_an_invitation_with_errors(self, db):
        assert_drawn_as_crispy(with_errors(InviteForm({"given_name": "", "email": "bad"})))

    def test_a_phase_change(self, patient):
        assert_drawn_as_crispy(PhaseChangeForm(patient=patient))

    def test_a_phase_change_with_errors(self, patient):
        data = {"phase": "7", "started_on": "2999-01-01", "reason": "x" * 301}
        assert_drawn_as_crispy(with_errors(PhaseChangeForm(data, patient=patient)))


class TestSessionPages:
    def test_a_new_session(self, patient, practitioner):
        session = TreatmentSession(patient=patient, practitioner=practitioner)
        assert_drawn_as_crispy(SessionForm(instance=session))

    def test_a_draft_being_edited(self, patient, practitioner):
        session = TreatmentSessionFactory(
            patient=patient,
            practitioner=practitioner,
            electrical=True,
            electro_frequency_hz=2.5,
            subjective="Worse <after> gardening & lifting.",
            pregnancy_acknowledged=True,
        )
        assert_drawn_as_crispy(SessionForm(instance=session))

    def test_a_session_with_errors(self, patient, practitioner):
        session = TreatmentSession(patient=patient, practitioner=practitioner)
        data = session_data(started_at="yesterday", style="?", pain_before="11", pain_after="x")
        data |= {"needle_diameter_mm": "thin", "retention_minutes": "-1", "electrical": "on"}
        assert_drawn_as_crispy(with_errors(SessionForm(data, instance=session)))

    def test_adverse_events(self, patient, practitioner):
        session = TreatmentSessionFactory(patient=patient, practitioner=practitioner)
        AdverseEventFactory(session=session, action_taken="Pressure <2 min> & ice.")
        formset = AdverseEventFormSet(instance=session, prefix="adverse")
        assert len(formset.forms) == 2  # the saved event, with its delete box, and a blank one
        for form in formset:
            assert_drawn_as_crispy(form)

    def test_adverse_events_with_errors(self, patient, practitioner):
        session = TreatmentSessionFactory(patient=patient, practitioner=practitioner)
        event = AdverseEventFactory(session=session)
        data = session_data(adverse=[{"id": event.pk, "category": "?", "severity": ""}])
        data |= {"adverse-INITIAL_FORMS": "1"}
        formset = AdverseEventFormSet(data, instance=session, prefix="adverse")
        assert not formset.is_valid()
        for form in formset:
            assert_drawn_as_crispy(with_errors(form))

    def test_an_amendment(self, db):
        assert_drawn_as_crispy(AmendmentForm())

    def test_an_amendment_with_errors(self, db):
        assert_drawn_as_crispy(with_errors(AmendmentForm({"text": ""})))


class TestPatientLinkPages:
    """The intake and check-in forms: radio buttons and checkbox lists too."""

    @pytest.mark.parametrize(
        "form_class",
        [intake.AboutForm, intake.PainForm, intake.MeasuresForm, intake.HealthForm],
    )
    def test_an_intake_step(self, db, form_class):
        assert_drawn_as_crispy(form_class())

    def test_an_intake_step_with_answers(self, db):
        fields = intake.PainForm.base_fields
        first = {name: fields[name].choices[0][0] for name in ["regions", "since", "feels_like"]}
        data = first | {"regions": [first["regions"]], "feels_like": [first["feels_like"]]}
        form = intake.PainForm(data | {"complaint": "Neck pain"})
        assert form.is_valid()
        assert 'id="id_since_0" checked>' in normalised(form["since"].as_field_group())
        assert_drawn_as_crispy(form)

    @pytest.mark.parametrize(
        "form_class",
        [intake.AboutForm, intake.PainForm, intake.MeasuresForm, intake.HealthForm],
    )
    def test_an_intake_step_with_errors(self, db, form_class):
        assert_drawn_as_crispy(with_errors(form_class({"since": "?", "pregnant": "yes"})))

    def test_a_check_in(self, db):
        assert_drawn_as_crispy(CheckInForm(activities=[]))
        assert_drawn_as_crispy(with_errors(CheckInForm({"pain_now": "11"}, activities=[])))


GROUPED = [
    ("Arms", [("left_arm", "Left arm"), ("right_arm", "Arm 2")]),
    ("Legs", [("leg", 1), ("foot", 2)]),
]


class OwnTemplate(forms.TextInput):
    template_name = "django/forms/widgets/input.html"


class Oddities(forms.Form):
    """What the app's forms do not (yet) use, so that a new form is drawn right too."""

    styled = forms.CharField(
        help_text="Codes such as <b>ST36</b>.",
        widget=forms.TextInput(attrs={"class": "point-code", "autofocus": True, "size": 8}),
    )
    grouped = forms.ChoiceField(choices=GROUPED, required=False)
    grouped_radio = forms.ChoiceField(choices=GROUPED, widget=forms.RadioSelect)
    several = forms.MultipleChoiceField(choices=GROUPED, required=False)
    maybe = forms.NullBooleanField(label=mark_safe("Maybe <em>so</em>"))
    unlabelled = forms.CharField(label="", required=False)
    unlabelled_radio = forms.ChoiceField(label="", choices=[("a", "A")], widget=forms.RadioSelect)
    fixed = forms.CharField(disabled=True, initial="Fixed & set")
    remembered = forms.IntegerField(show_hidden_initial=True, initial=3, localize=True)
    amount = forms.DecimalField(localize=True, initial=1234.5)
    secret = forms.CharField(widget=forms.HiddenInput, initial="s")
    passcode = forms.CharField(widget=forms.PasswordInput)
    own_template = forms.CharField(widget=OwnTemplate, required=False)  # drawn by its template
    upload = forms.FileField(required=False)  # drawn by crispy itself
    when = forms.SplitDateTimeField(required=False)  # drawn by crispy itself


class TestOtherFields:
    def test_unbound(self):
        assert_drawn_as_crispy(Oddities())

    def test_with_values(self):
        data = {
            "styled": "ST36",
            "grouped": "right_arm",
            "grouped_radio": "leg",
            "several": ["foot"],
        }
        assert_drawn_as_crispy(Oddities(data | {"maybe": "true", "remembered": "3"}))

    def test_with_errors(self):
        assert_drawn_as_crispy(with_errors(Oddities({"grouped": "?", "several": ["?"]})))

    def test_without_ids(self):
        assert_drawn_as_crispy(Oddities(auto_id=False))
        assert_drawn_as_crispy(with_errors(Oddities({}, auto_id=False)))

    def test_a_form_with_a_crispy_helper_is_left_to_crispy(self):
        form = Oddities()
        form.helper = FormHelper()  # its layout settings are not reproduced here
        form.helper.form_show_labels = False
        assert "<label" not in form["styled"].as_field_group()
        assert_drawn_as_crispy(form)


@pytest.mark.parametrize(
    "form",
    [
        Oddities(),
        Oddities({"styled": "ST36", "grouped": "right_arm", "several": ["foot"], "secret": "<s>"}),
        with_errors(Oddities({"grouped": "?"})),
        Oddities(auto_id=False),
    ],
    ids=["unbound", "with values", "with errors", "without ids"],
)
def test_a_widget_on_its_own_is_drawn_as_django_draws_it(form):
    """`{{ form.field }}` (a formset row's hidden id, a point row's inputs) as Django's
    BoundField and widget templates draw it."""
    for name, field in form.fields.items():
        assert str(form[name]) == str(forms.BoundField(form, field, name)), name


def test_the_widgets_written_in_python_have_django_s_own_templates():
    """clinic/renderers.py writes plain widgets as Django's templates draw them: no project
    template may override those."""
    django_forms = Path(forms.__file__).parent
    names = {"django/forms/widgets/input.html", "django/forms/widgets/attrs.html"}  # included
    for widget in WRITTEN:
        names |= {widget.template_name, getattr(widget, "option_template_name", None)} - {None}
    for name in names:
        origin = Path(get_template(name).origin.name)
        assert origin.is_relative_to(django_forms), (name, origin)
