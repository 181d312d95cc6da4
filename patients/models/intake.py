"""The patient's intake: answered step by step through a link, then reviewed.

The answers are kept as JSON on the Intake while the patient fills it in, each step saved
as they go (and what was typed but not yet valid, as a draft of the step); on acceptance
they are copied into the patient's record (patients.actions.accept_intake). The steps'
questions are the forms of patients.forms.intake, one form a step.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from patients.models.links import PatientLink
from patients.models.records import Patient
from patients.scoring import PSFS_MAX_ACTIVITIES

# The steps, in the order the patient answers them: (key, title).
STEPS = [
    ("about", "About you"),
    ("pain", "Your pain"),
    ("measures", "How you are doing"),
    ("health", "Your health"),
    ("red_flags", "Important symptoms"),
    ("goals", "Your goals"),
    ("consent", "Consent"),
]
STEP_KEYS = [key for key, _ in STEPS]
STEP_TITLES = dict(STEPS)
DRAFTS = "_drafts"  # answers[DRAFTS][step]: what was typed at a step and is not yet valid

# CLINICAL.md section 5 (AHCPR 1994; NICE), in plain language. Urgent: same-day referral.
RED_FLAGS = [
    ("weight_loss", "Have you lost weight recently without trying?", False),
    ("fever", "Have you had a fever, chills or night sweats?", False),
    ("cancer", "Have you ever had cancer?", False),
    ("night_pain", "Is the pain severe at night, or worse when you lie down?", False),
    ("trauma", "Did the pain start after a bad fall, accident or other injury?", False),
    (
        "steroids",
        "Have you taken steroid tablets for a long time, or been told you have "
        "thin bones (osteoporosis)?",
        False,
    ),
    (
        "immune",
        "Have you ever injected drugs, or do you have an illness or medicine that "
        "weakens your immune system?",
        False,
    ),
    ("new_after_50", "Is this a new pain that started after you turned 50?", False),
    (
        "saddle",
        "Do you have numbness or tingling around your bottom, genitals or inner "
        "thighs (where you would sit on a saddle)?",
        True,
    ),
    (
        "bladder_bowel",
        "Have you had new problems controlling your bladder or bowels, or passing urine?",
        True,
    ),
    ("leg_weakness", "Are your legs getting weaker or more numb?", True),
]
URGENT_FLAGS = {key for key, _, urgent in RED_FLAGS if urgent}
RED_FLAG_LABELS = {key: question for key, question, _ in RED_FLAGS}
# The same questions in CLINICAL.md's words, for the practitioner's summary of the intake.
RED_FLAG_CLINICAL = {
    "weight_loss": "Unexplained weight loss",
    "fever": "Fever, chills or night sweats",
    "cancer": "History of cancer",
    "night_pain": "Severe night pain, or pain worse lying down",
    "trauma": "Recent significant trauma",
    "steroids": "Long-term steroid use or osteoporosis",
    "immune": "IV drug use or immunosuppression",
    "new_after_50": "New pain after age 50",
    "saddle": "Saddle-area numbness or tingling",
    "bladder_bowel": "New bladder or bowel problems",
    "leg_weakness": "Progressive weakness or numbness in the legs",
}

# The health step's yes/no questions, each answering the patient's safety flag of its name
# (Patient.CONDITION_FLAGS, in that order).
SAFETY_QUESTIONS = [
    (
        "anticoagulants",
        "Do you take blood-thinning medicine (for example warfarin, apixaban, "
        "clopidogrel or daily aspirin)?",
    ),
    ("bleeding_disorder", "Do you have a bleeding disorder, such as haemophilia?"),
    ("implanted_device", "Do you have a pacemaker or another electrical device in your body?"),
    ("epilepsy", "Do you have epilepsy or seizures?"),
    ("needle_fear", "Are you afraid of needles, or have you ever fainted at injections?"),
    ("metal_allergy", "Are you allergic to metal, such as nickel?"),
    ("diabetes_or_neuropathy", "Do you have diabetes, or numbness in your hands or feet?"),
    ("immunosuppressed", "Does an illness or medicine weaken your immune system?"),
    (
        "skin_infection",
        "Do you have a skin infection or broken skin (a cut, sore, ulcer or weeping rash) "
        "anywhere on your body?",
    ),
]

# The first step's answers that are the patient's details of the same names (and the
# clinic's values of them, offered to check on that step).
PATIENT_DETAILS = ["given_name", "family_name", *Patient.CONTACT_FIELDS]
PSFS_ACTIVITIES = range(1, PSFS_MAX_ACTIVITIES + 1)  # the measures step's psfs_1, psfs_2...


def to_json(cleaned):
    """Cleaned data as JSON-safe values (dates as ISO strings)."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in cleaned.items()}


class ConsentVersion(models.Model):
    """The clinic's consent text. A new version is a new row; signed intakes keep theirs."""

    version = models.CharField(max_length=20, unique=True)
    text = models.TextField()
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="consentversion_text_set"),
            models.CheckConstraint(condition=~Q(version=""), name="consentversion_version_set"),
        ]

    def __str__(self):
        return f"Consent {self.version}"

    @classmethod
    def current(cls):
        return cls.objects.order_by("-published_at", "-id").first()


class IntakeQuerySet(models.QuerySet):
    def review_queue(self):
        """Submitted intakes waiting for review: urgent first, then other red flags, oldest
        first within each."""
        return (
            self.filter(status=Intake.Status.SUBMITTED)
            .select_related("patient", "red_flag_review")
            .order_by("-urgent", "-has_red_flags", "submitted_at", "id")
        )


class Intake(models.Model):
    class Status(models.TextChoices):
        STARTED = "started", "Being filled in"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="intakes"
    )
    link = models.OneToOneField(PatientLink, on_delete=models.PROTECT, related_name="intake")
    status = models.CharField(max_length=10, choices=Status, default=Status.STARTED)
    step = models.CharField(max_length=20, default="about", help_text="Where to resume.")
    answers = models.JSONField(default=dict, blank=True)
    # Set once, at submission, from the answers (which no longer change after it).
    red_flags = models.JSONField(default=list, blank=True)
    has_red_flags = models.BooleanField(default=False)
    urgent = models.BooleanField(default=False)
    # The parts of the body the pain map's areas fall in (patients.bodymap.PART_BITS).
    pain_regions = models.PositiveIntegerField(default=0)
    consent_version = models.ForeignKey(
        ConsentVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consent_name = models.CharField("signature (typed full name)", max_length=200, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_ip = models.GenericIPAddressField(null=True, blank=True)
    # The consent step's "remind me" box, copied to the patient when the intake is accepted.
    reminder_consent = models.BooleanField("agreed to check-in reminders", default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = IntakeQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        # The dashboard counts intakes waiting for review and unreviewed red flags.
        indexes = [
            models.Index(fields=["status"], condition=Q(status="submitted"), name="intake_waiting"),
            models.Index(fields=["id"], condition=Q(has_red_flags=True), name="intake_red_flags"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["started", "submitted", "accepted"]),
                name="intake_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="started")
                | Q(
                    submitted_at__isnull=False,
                    consent_version__isnull=False,
                    consent_at__isnull=False,
                )
                & ~Q(consent_name=""),
                name="intake_submitted_with_consent",
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted")
                | Q(accepted_at__isnull=False, accepted_by__isnull=False),
                name="intake_accepted_by_someone",
            ),
            models.UniqueConstraint(
                fields=["patient"], condition=Q(status="accepted"), name="intake_one_accepted"
            ),
        ]

    def __str__(self):
        return f"Intake ({self.get_status_display().lower()})"

    @property
    def audit_patient_uuid(self):
        return self.patient.uuid

    @property
    def needs_red_flag_review(self):
        return self.has_red_flags and not hasattr(self, "red_flag_review")

    # The steps

    @staticmethod
    def step_after(step):
        """The step that follows `step` (the last is followed by itself)."""
        index = STEP_KEYS.index(step)
        return STEP_KEYS[min(index + 1, len(STEP_KEYS) - 1)]

    def missing_steps(self):
        return [step for step in STEP_KEYS if step not in self.answers]

    @property
    def all_answered(self):
        return not self.missing_steps()

    # The answers, as they are stored

    def draft(self, step):
        """What was typed at `step` and was not yet valid, as {field: [values]}, or None."""
        return self.answers.get(DRAFTS, {}).get(step)

    def initial(self, step):
        """The answers a step's form starts from: the saved ones, or for the first step
        what the clinic already knows, for the patient to check."""
        answer = self.answers.get(step)
        if answer is None and step == "about":
            patient = self.patient
            answer = {name: getattr(patient, name) for name in PATIENT_DETAILS}
            if patient.date_of_birth:
                answer["date_of_birth"] = patient.date_of_birth.isoformat()
        return answer or {}

    def save_answer(self, step, cleaned):
        """Keep a step's valid answers (its form's cleaned data), drop its draft, and
        resume at the next step."""
        self.answers.setdefault(DRAFTS, {}).pop(step, None)
        self.answers[step] = to_json(cleaned)
        self.step = self.step_after(step)
        self.audit_detail = f"intake step: {step}"
        self.save(update_fields=["answers", "step", "updated_at"])

    def save_draft(self, step, values):
        """Keep what was typed at `step`, valid or not, so nothing is lost if the tab is
        closed now; resume at that step."""
        self.answers.setdefault(DRAFTS, {})[step] = values
        self.step = step
        self.audit_detail = f"intake step: {step} (not yet valid, kept as typed)"
        self.save(update_fields=["answers", "step", "updated_at"])

    def signed_consent(self):
        """The consent version the patient signed, or None (not signed, or gone since)."""
        version = self.answers.get("consent", {}).get("version")
        return ConsentVersion.objects.filter(pk=version).first()

    def forget_consent(self):
        """The text they signed is gone: they sign the current one again."""
        self.answers.pop("consent", None)
        self.step = "consent"
        self.save(update_fields=["answers", "step", "updated_at"])

    def answered_red_flags(self):
        """The red flags answered yes, in the order they are asked."""
        step = self.answers.get("red_flags", {})
        return [key for key, _, _ in RED_FLAGS if step.get(key) == "yes"]

    def red_flags_in_words(self):
        """The red flags recorded at submission, urgent first, as [(CLINICAL.md's words,
        urgent)]: for the practitioner's summary and the queue."""
        flags = [(RED_FLAG_CLINICAL[key], key in URGENT_FLAGS) for key in self.red_flags]
        return sorted(flags, key=lambda flag: not flag[1])

    def answered_urgent(self):
        return bool(URGENT_FLAGS.intersection(self.answered_red_flags()))

    def psfs_answers(self):
        """The measures step's named activities, as [(name, rating)] in their order."""
        measures = self.answers["measures"]
        return [
            (measures[f"psfs_{n}"].strip(), measures[f"psfs_{n}_rating"])
            for n in PSFS_ACTIVITIES
            if measures.get(f"psfs_{n}", "").strip()
        ]

    def fill_record(self, patient):
        """Copy the answers onto the patient's record: details, date of birth, pregnancy,
        safety flags, lymphoedema (not saved)."""
        about, health = self.answers["about"], self.answers["health"]
        for name in PATIENT_DETAILS:
            setattr(patient, name, about.get(name, ""))
        patient.date_of_birth = date.fromisoformat(about["date_of_birth"])
        patient.pregnant = health["pregnant"] in ("yes", "unsure")
        patient.pregnancy_due_date = (
            date.fromisoformat(health["due_date"])
            if patient.pregnant and health.get("due_date")
            else None
        )
        for key, _ in SAFETY_QUESTIONS:
            # .get: a health step answered before a question was added lacks its answer
            setattr(patient, key, health.get(key) == "yes")
        patient.lymphoedema_limb = health.get("lymphoedema_limb", "")


# What a red-flag review needs beside its action (RedFlagReview.clean and its constraint).
URGENT_NEEDS_REASON = (
    "An urgent red flag means referral for same-day medical assessment. To record anything "
    "else, write the clinical reason for not referring today."
)
SAFE_NEEDS_NOTE = "Write why it is safe to treat."
OTHER_NEEDS_NOTE = "Write what was done."


class RedFlagReview(models.Model):
    """A practitioner's recorded review of an intake's red flags (CLINICAL.md section 5).

    An urgent flag (saddle numbness, new bladder or bowel problems, progressive leg
    weakness) is a same-day referral: any other action needs a written clinical reason.
    For the other flags "safe to treat" and "other" need a note."""

    class Action(models.TextChoices):
        SAME_DAY = "same_day", "Referred for same-day medical assessment"
        GP = "gp", "Referred to the GP (routine)"
        SAFE = "safe", "Discussed; safe to treat, monitor"
        OTHER = "other", "Other (see notes)"

    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, related_name="red_flag_review")
    # The intake's own `urgent`, kept here so that the database can hold the rule above.
    urgent = models.BooleanField(default=False, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=10, choices=Action)
    notes = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["same_day", "gp", "safe", "other"]),
                name="redflagreview_action_valid",
            ),
            models.CheckConstraint(
                condition=Q(action="same_day") | Q(urgent=False, action="gp") | ~Q(notes=""),
                name="redflagreview_reason_unless_referred",
            ),
        ]

    def __str__(self):
        return f"Red flags reviewed: {self.get_action_display().lower()}"

    @classmethod
    def for_intake(cls, intake, by):
        """A new review of `intake` by `by`, its default action a same-day referral when a
        flag is urgent (none otherwise: the practitioner chooses)."""
        action = cls.Action.SAME_DAY if intake.urgent else ""
        # By id: assigning the intake itself would make this unsaved review its review.
        return cls(intake_id=intake.pk, urgent=intake.urgent, reviewed_by=by, action=action)

    def reason_missing(self):
        """Why this review needs notes it lacks, or None."""
        if self.notes.strip() or self.action == self.Action.SAME_DAY:
            return None
        if self.urgent:
            return URGENT_NEEDS_REASON
        return {self.Action.SAFE: SAFE_NEEDS_NOTE, self.Action.OTHER: OTHER_NEEDS_NOTE}.get(
            self.action
        )

    def clean(self):
        if message := self.reason_missing():
            raise ValidationError({"notes": message})

    @property
    def audit_patient_uuid(self):
        return self.intake.patient.uuid
