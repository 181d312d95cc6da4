"""The intake's questions, one form a step, as the patient sees them on a phone; and the
practitioner's red-flag review. The steps' order and the answers' storage are the
Intake's (patients.models.intake)."""

from datetime import date

from django import forms
from django.http import QueryDict
from django.utils import timezone

from core.text import NoControlCharacters, without_control_characters
from patients import bodymap
from patients.forms.widgets import ChoiceButtons, ChoiceChips, ScaleButtons
from patients.models import Limb, RedFlagReview, phone_validator
from patients.models.intake import RED_FLAGS, SAFETY_QUESTIONS, STEP_KEYS, STEP_TITLES
from patients.scoring import PSFS_MAX_ACTIVITIES, PSFS_MIN_ACTIVITIES

YES_NO = [("yes", "Yes"), ("no", "No")]
SCORE = {"min_value": 0, "max_value": 10}
NO_PAIN, WORST_PAIN = "no pain", "worst pain imaginable"
NOT_AT_ALL, COMPLETELY = "not at all", "completely"

SINCE = [
    ("lt_6w", "Less than 6 weeks"),
    ("6w_3m", "6 weeks to 3 months"),
    ("3m_1y", "3 months to a year"),
    ("1y_5y", "1 to 5 years"),
    ("gt_5y", "More than 5 years"),
]
FEELS_LIKE = [
    ("aching", "Aching"),
    ("burning", "Burning"),
    ("stabbing", "Stabbing"),
    ("throbbing", "Throbbing"),
    ("tingling", "Tingling or pins and needles"),
    ("numb", "Numb"),
    ("stiff", "Stiff"),
    ("cramping", "Cramping"),
    ("shooting", "Shooting"),
]


def text_answer(label, max_length, rows=2):
    """An optional free-text answer."""
    return forms.CharField(
        label=label, max_length=max_length, required=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )  # fmt: skip


def score_field(label, low, high, required=True):
    """A 0-10 score, tapped on eleven buttons; `low` and `high` anchor 0 and 10."""
    return forms.IntegerField(
        label=label,
        help_text=f"0 = {low}, 10 = {high}",
        required=required,
        widget=ScaleButtons(low=low, high=high),
        **SCORE,
    )


def psfs_rating_field(label, required=True):
    """How well the patient can do one of their PSFS activities now (CLINICAL.md 2)."""
    return score_field(label, "unable to do it", "as well as before the problem", required)


def yes_no_field(label, choices=YES_NO):
    """Yes or No (or a few more), as large buttons; two sit beside the question."""
    layout = "inline" if len(choices) == 2 else "row"
    return forms.ChoiceField(label=label, choices=choices, widget=ChoiceButtons(layout=layout))


# A draft keeps a text answer up to twice its field's length (one a little too long comes
# back whole, with its message, when the patient returns), anything else (a choice, a
# number, a date) up to DRAFT_VALUE_LENGTH characters.
DRAFT_TEXT_ROOM = 2
DRAFT_VALUE_LENGTH = 50


class StepForm(NoControlCharacters, forms.Form):
    """One step of the intake. Its text fields refuse control characters."""

    def draft(self):
        """What was posted for this step, kept to show again until it is valid: the step's
        own fields only, as many values as each takes, each within its bound (above) and
        without control characters."""
        kept = {}
        for name, field in self.fields.items():
            values = self.data.getlist(self.add_prefix(name))
            if not values:
                continue
            most = len(field.choices) if isinstance(field, forms.MultipleChoiceField) else 1
            text_length = getattr(field, "max_length", None)
            length = DRAFT_TEXT_ROOM * text_length if text_length else DRAFT_VALUE_LENGTH
            kept[name] = [without_control_characters(value)[:length] for value in values[:most]]
        return kept


class AboutForm(StepForm):
    given_name = forms.CharField(label="First name", max_length=100)
    family_name = forms.CharField(label="Last name", max_length=100)
    date_of_birth = forms.DateField(
        label="Date of birth", widget=forms.DateInput(attrs={"type": "date"})
    )
    email = forms.EmailField(label="Email", required=False, max_length=254)
    phone = forms.CharField(
        label="Phone",
        max_length=30,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    emergency_contact_name = forms.CharField(label="Emergency contact: name", max_length=200)
    emergency_contact_phone = forms.CharField(
        label="Emergency contact: phone",
        max_length=30,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel"}),
    )

    def clean_date_of_birth(self):
        born = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise forms.ValidationError("The date of birth cannot be in the future.")
        if born < date(1900, 1, 1):
            raise forms.ValidationError("Please check the year of birth.")
        return born


class PainForm(StepForm):
    complaint = forms.CharField(
        label="What is the main problem you would like help with?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    regions = forms.MultipleChoiceField(
        label="Where does it hurt?",
        choices=bodymap.REGIONS,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one area."},
    )
    since = forms.ChoiceField(
        label="How long have you had this pain?",
        choices=SINCE,
        widget=ChoiceButtons(layout="chips"),
    )
    worse = text_answer("What makes it worse?", 1000)
    better = text_answer("What makes it better?", 1000)
    feels_like = forms.MultipleChoiceField(
        label="What does it feel like?",
        choices=FEELS_LIKE,
        required=False,
        widget=ChoiceChips,
    )


class MeasuresForm(StepForm):
    """Pain NRS, PEG (Krebs 2009), PSFS (Stratford 1995), the clinic's confidence item and
    active minutes (CLINICAL.md section 2)."""

    pain_now = score_field("Your pain right now", NO_PAIN, WORST_PAIN)
    pain_average = score_field("Your average pain over the past week", NO_PAIN, WORST_PAIN)
    pain_worst = score_field("Your worst pain over the past week", NO_PAIN, WORST_PAIN)
    enjoyment = score_field(
        "Over the past week, how much has pain got in the way of enjoying life?",
        NOT_AT_ALL,
        COMPLETELY,
    )
    activity = score_field(
        "Over the past week, how much has pain got in the way of your general activity?",
        NOT_AT_ALL,
        COMPLETELY,
    )
    confidence = score_field(
        "How confident are you that you can do your usual activities despite the pain?",
        "not at all confident",
        "completely confident",
    )
    active_minutes = forms.IntegerField(
        label="In the past 7 days, how many minutes in all were you moderately active?",
        help_text="Brisk walking, cycling, swimming, your exercises: add them up.",
        min_value=0,
        max_value=10080,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 10080}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, PSFS_MAX_ACTIVITIES + 1):
            self.fields[f"psfs_{n}"] = forms.CharField(
                label=f"Activity {n}", max_length=120, required=False
            )
            self.fields[f"psfs_{n}_rating"] = psfs_rating_field(
                f"How well can you do activity {n} now?", required=False
            )

    def psfs_rows(self):
        """(name, rating, spare) for each activity: spare when it is one past the three
        needed and nothing is in it yet (folded behind "Add another activity" with JS)."""
        rows = []
        for n in range(1, PSFS_MAX_ACTIVITIES + 1):
            name, rating = self[f"psfs_{n}"], self[f"psfs_{n}_rating"]
            empty = not (name.value() or rating.value() not in (None, "") or name.errors)
            rows.append((name, rating, n > PSFS_MIN_ACTIVITIES and empty and not rating.errors))
        return rows

    def clean(self):
        data = super().clean()
        named = 0
        for n in range(1, PSFS_MAX_ACTIVITIES + 1):
            name, rating = data.get(f"psfs_{n}", "").strip(), data.get(f"psfs_{n}_rating")
            if name and rating is None and f"psfs_{n}_rating" not in self.errors:
                self.add_error(f"psfs_{n}_rating", "Rate this activity from 0 to 10.")
            if rating is not None and not name:
                self.add_error(f"psfs_{n}", "Name the activity you rated.")
            named += bool(name)
        if named < PSFS_MIN_ACTIVITIES:
            self.add_error(
                "psfs_1",
                f"Name at least {PSFS_MIN_ACTIVITIES} activities that are hard for you now.",
            )
        return data


class HealthForm(StepForm):
    conditions = text_answer("Other health conditions", 2000)
    medicines = text_answer("Medicines you take", 2000)
    surgeries = text_answer("Operations you have had", 2000)
    previous_acupuncture = yes_no_field("Have you had acupuncture before?")
    pregnant = yes_no_field(
        "Are you pregnant, or could you be?",
        choices=[("no", "No"), ("yes", "Yes"), ("unsure", "Not sure")],
    )
    due_date = forms.DateField(
        label="If pregnant: your due date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    lymphoedema_limb = forms.ChoiceField(
        label="Do you have lymphoedema (swelling after lymph nodes were removed)? Where?",
        help_text="We do not put needles in a limb with lymphoedema.",
        choices=[("", "No")] + list(Limb.choices),
        required=False,
        widget=ChoiceButtons(layout="chips"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, question in SAFETY_QUESTIONS:
            self.fields[key] = yes_no_field(question)

    def safety_fields(self):
        return [self[key] for key, _ in SAFETY_QUESTIONS]

    def clean(self):
        data = super().clean()
        if data.get("due_date") and data.get("pregnant") == "no":
            self.add_error("due_date", "You answered that you are not pregnant.")
        return data


class RedFlagsForm(StepForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, question, _ in RED_FLAGS:
            self.fields[key] = yes_no_field(question)


class GoalsForm(StepForm):
    goals = forms.CharField(
        label="What would you like to be able to do again?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: walk the dog for half an hour, pick up my grandchild.",
    )


class ConsentForm(StepForm):
    """Signed against `consent`, the clinic's current ConsentVersion; its answer keeps the
    version's id."""

    agree = forms.BooleanField(label="I have read the consent text above and I agree to it.")
    signature = forms.CharField(label="Type your full name as your signature", max_length=200)

    def __init__(self, *args, consent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.consent = consent

    def clean_signature(self):
        signature = " ".join(self.cleaned_data["signature"].split())
        if len(signature) < 3:
            raise forms.ValidationError("Type your full name.")
        return signature

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if self.consent is None:
            raise forms.ValidationError("The clinic has not published its consent text yet.")
        data["version"] = self.consent.pk
        return data

    reminders = forms.BooleanField(
        label="Email me a short reminder with my check-in link when a check-in is due. "
        "I can stop them from any of the emails.",
        required=False,
    )


STEP_FORMS = {
    "about": AboutForm,
    "pain": PainForm,
    "measures": MeasuresForm,
    "health": HealthForm,
    "red_flags": RedFlagsForm,
    "goals": GoalsForm,
    "consent": ConsentForm,
}


def step_form(intake, step, data=None, consent=None):
    """The form of `step`: bound to `data` when posted; else to the step's draft, if what
    was typed there was not yet valid (shown again, with what to correct); else unbound,
    starting from the saved answers."""
    kwargs = {"consent": consent} if step == "consent" else {}
    if data is None and (draft := intake.draft(step)):
        data = QueryDict(mutable=True)
        for name, values in draft.items():
            data.setlist(name, values)
    if data is not None:
        return STEP_FORMS[step](data, **kwargs)
    return STEP_FORMS[step](initial=intake.initial(step), **kwargs)


def answer_sections(answers):
    """The answers as (step, title, [(question, answer)]), for the patient and the clinic."""
    labels = (
        dict(SINCE)
        | dict(FEELS_LIKE)
        | bodymap.LABELS
        | dict(Limb.choices)
        | {"yes": "Yes", "no": "No", "unsure": "Not sure"}
    )
    sections = []
    for step in STEP_KEYS:
        if step not in answers:
            continue
        form = STEP_FORMS[step]()
        rows = []
        # In the form's order: PostgreSQL's jsonb keeps the keys in an order of its own.
        for name in form.fields:
            value = answers[step].get(name)
            if value in ("", None, []):
                continue
            if isinstance(value, list):
                shown = ", ".join(labels.get(v, v) for v in value)
            elif isinstance(value, bool):
                shown = "Yes" if value else "No"
            else:
                shown = labels.get(value, value) if isinstance(value, str) else value
            rows.append((str(form.fields[name].label), shown))
        sections.append((step, STEP_TITLES[step], rows))
    return sections


class RedFlagReviewForm(NoControlCharacters, forms.ModelForm):
    """The review of an intake's red flags, for `instance` = RedFlagReview.for_intake():
    its rules (a reason unless referred) are the model's."""

    class Meta:
        model = RedFlagReview
        fields = ["action", "notes"]
        labels = {"action": "Action taken"}
        widgets = {"action": forms.RadioSelect, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = RedFlagReview.Action.choices  # no empty choice
        notes = self.fields["notes"]
        if self.instance.urgent:
            notes.label = "Clinical reason, if not referred today"
            notes.help_text = "Needed for any action but a same-day referral: why it is safe."
        else:
            notes.help_text = "Needed for “safe to treat” and “other”."
