"""A sent intake as the practitioner reads it first (the review page's clinical summary):
what needs acting on (the red flags and the safety questions answered "yes", never the
"no"s), the baseline PEG and PSFS, where it hurts, the goals and medicines; and below it
every answer as the patient gave it, its dates written the app's way ("3 Mar 1968").

The scores are patients.scoring's, the safety words the patient record's own labels and
the red flags' CLINICAL.md's (patients.models.intake.RED_FLAG_CLINICAL).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django import forms
from django.utils import formats, timezone

from patients import bodymap
from patients.bodymap_shapes import SHAPES
from patients.forms.intake import STEP_FORMS, answer_sections
from patients.models import Limb, OutcomeReading, Patient
from patients.models.intake import RED_FLAG_CLINICAL, RED_FLAGS, SAFETY_QUESTIONS
from patients.scoring import PSFS_MAX_ACTIVITIES, PSFS_MIN_ACTIVITIES, peg_score, psfs_score

Measure = OutcomeReading.Measure
PEG_ITEMS = [  # (answer, label): P, E and G (Krebs 2009), each 0-10 over the past week
    ("pain_average", f"{Measure.PAIN_AVERAGE.label} (PEG P)"),
    ("enjoyment", Measure.ENJOYMENT.label),
    ("activity", Measure.ACTIVITY.label),
]

OTHER_READINGS = [Measure.PAIN_NOW, Measure.PAIN_WORST, Measure.CONFIDENCE, Measure.ACTIVE_MINUTES]


def written(day):
    """A date the app's one way (clinic/formats: "3 Mar 1968")."""
    return formats.date_format(day)


@dataclass
class Area:
    """One area of the pain map, drawn with its shape, filled when the patient marked it."""

    key: str
    label: str
    element: str
    geometry: dict
    marked: bool


@dataclass
class Score:
    """A baseline score: its items as [(label, value)] and their mean (None: not scored)."""

    items: list = field(default_factory=list)
    mean: Decimal | None = None


@dataclass
class IntakeSummary:
    red_flags: list  # [(clinical words, urgent)], urgent first
    safety: list  # the safety answers that are not "no", in clinical words
    unanswered: list  # safety and red-flag questions this intake has no answer to
    peg: Score
    psfs: Score
    readings: list  # [(label, value)]: the intake's other measures (OTHER_READINGS)
    front: list  # [Area]
    back: list
    regions: list  # the marked areas' labels, front then back
    goals: str
    medicines: str
    born: date | None
    age: int | None

    @property
    def needs_attention(self):
        return bool(self.red_flags or self.safety)


def summarise(intake, today=None):
    """The clinical summary of `intake` (a started one summarises what is answered)."""
    answers = intake.answers
    health = answers.get("health", {})
    marked = answers.get("pain", {}).get("regions", [])
    born = answers.get("about", {}).get("date_of_birth")
    born = date.fromisoformat(born) if born else None
    # Age as the patient record counts it, from the date of birth given here.
    age = Patient(date_of_birth=born).age(today or timezone.localdate()) if born else None
    front, back = areas(bodymap.FRONT, marked), areas(bodymap.BACK, marked)
    return IntakeSummary(
        # Read at submission: while it is filled in the answers may still change.
        red_flags=intake.red_flags_in_words() if intake.status != intake.Status.STARTED else [],
        safety=safety_answers(health),
        unanswered=unanswered(answers),
        peg=peg_baseline(answers.get("measures")),
        psfs=psfs_baseline(intake),
        readings=[
            (measure.label, answers["measures"][measure.value])
            for measure in OTHER_READINGS
            if answers.get("measures", {}).get(measure.value) not in (None, "")
        ],
        front=front,
        back=back,
        regions=[area.label for area in front + back if area.marked],
        goals=answers.get("goals", {}).get("goals", ""),
        medicines=health.get("medicines", ""),
        born=born,
        age=age,
    )


def safety_answers(health):
    """The health step's answers that the practitioner must act on, in the words of the
    patient's safety flags (Patient.safety_flags): pregnancy, the conditions, lymphoedema."""
    labels = []
    pregnant = health.get("pregnant")
    if pregnant in ("yes", "unsure"):
        label = "pregnant" if pregnant == "yes" else "may be pregnant (not sure)"
        if health.get("due_date"):
            label += f", due {written(date.fromisoformat(health['due_date']))}"
        labels.append(label)
    for key, _ in SAFETY_QUESTIONS:
        if health.get(key) == "yes":
            labels.append(Patient._meta.get_field(key).verbose_name)
    if health.get("lymphoedema_limb") in Limb.values:
        labels.append(f"lymphoedema: {Limb(health['lymphoedema_limb']).label.lower()}")
    return labels


def unanswered(answers):
    """The yes/no safety and red-flag questions without an answer in a step that was
    answered (an intake sent before the question was added)."""
    missing = []
    if "health" in answers:
        missing += [
            Patient._meta.get_field(key).verbose_name
            for key, _ in SAFETY_QUESTIONS
            if key not in answers["health"]
        ]
    if "red_flags" in answers:
        missing += [
            RED_FLAG_CLINICAL[key] for key, _, _ in RED_FLAGS if key not in answers["red_flags"]
        ]
    return missing


def peg_baseline(measures):
    if not measures:
        return Score()
    items = [(label, int(measures[key])) for key, label in PEG_ITEMS]
    return Score(items, peg_score(*(value for _, value in items)))


def psfs_baseline(intake):
    if "measures" not in intake.answers:
        return Score()
    items = [(name, int(rating)) for name, rating in intake.psfs_answers()]
    scored = PSFS_MIN_ACTIVITIES <= len(items) <= PSFS_MAX_ACTIVITIES
    return Score(items, psfs_score(value for _, value in items) if scored else None)


def areas(regions, marked):
    return [Area(key, label, *SHAPES[key], marked=key in marked) for key, label in regions]


def readable_sections(answers, age=None):
    """answer_sections, with every date answer written out ("12 Mar 1984") and the age
    beside the date of birth."""
    shown = {}
    for step, values in answers.items():
        if step in STEP_FORMS:
            dates = [
                name
                for name, form_field in STEP_FORMS[step].base_fields.items()
                if isinstance(form_field, forms.DateField)
            ]
            values = {
                name: written(date.fromisoformat(value)) if name in dates and value else value
                for name, value in values.items()
            }
        shown[step] = values
    if age is not None and shown.get("about", {}).get("date_of_birth"):
        shown["about"]["date_of_birth"] += f" (age {age})"
    return answer_sections(shown)


# The Yes/No questions the patient can answer as a group ("None of these apply to me",
# static/patients/yes_no.js), with what their review calls them.
ANSWERED_AS_A_GROUP = {
    "health": (["pregnant", *(key for key, _ in SAFETY_QUESTIONS)], "safety questions"),
    "red_flags": ([key for key, _, _ in RED_FLAGS], "questions"),
}


def review_sections(answers):
    """readable_sections for the patient's own review: a group's "No" answers are one line
    ("All 11 questions: No"; or, after those answered otherwise, "The other 9 safety
    questions: No"). The clinic reads every answer."""
    sections = []
    for step, title, rows in readable_sections(answers):
        if step in ANSWERED_AS_A_GROUP:
            keys, called = ANSWERED_AS_A_GROUP[step]
            fields = STEP_FORMS[step]().fields
            grouped = {str(fields[key].label) for key in keys}
            nos = [row for row in rows if row[0] in grouped and row[1] == "No"]
            if len(nos) > 1:
                others = "All" if len(nos) == len(keys) else "The other"
                at = rows.index(nos[0])
                rows = [row for row in rows if row not in nos]
                answered = [n for n, row in enumerate(rows) if row[0] in grouped]
                line = (f"{others} {len(nos)} {called}", "No")
                rows.insert(answered[-1] + 1 if answered else at, line)
        sections.append((step, title, rows))
    return sections
