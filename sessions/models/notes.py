"""Treatment notes: what was done in a session, to STRICTA 2010 (CLINICAL.md section 6)."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from audit import trail
from clinic.constraints import CheckConstraintsInPython
from patients.models import Patient
from sessions import safety
from sessions.models.points import AcupuncturePoint
from staff.models import AcupunctureStyle

MIDLINE_CHANNELS = {"GV", "CV"}
PAIRED_CHANNELS = {
    "LU", "LI", "ST", "SP", "HT", "SI", "BL", "KI", "PC", "TE", "GB", "LR",
}  # fmt: skip


DEPTH_VALIDATORS = [MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("100"))]


class Side(models.TextChoices):
    LEFT = "L", "Left"
    RIGHT = "R", "Right"
    BILATERAL = "B", "Bilateral"
    MIDLINE = "M", "Midline"


def side_error(point, side):
    """Why this side is wrong for this point, or None: GV and CV lie on the midline."""
    if point.channel in MIDLINE_CHANNELS and side != Side.MIDLINE:
        return f"{point.code} lies on the midline: choose midline."
    if point.channel in PAIRED_CHANNELS and side == Side.MIDLINE:
        return f"{point.code} is a paired point: choose left, right or bilateral."
    return None


def default_side(point):
    return Side.MIDLINE if point.channel in MIDLINE_CHANNELS else Side.BILATERAL


class SignedNoteError(ValidationError):
    """The note is signed: nothing of it may change (amend it instead)."""


class SigningRefused(ValidationError):
    """The note may not be signed (yet): its messages say why."""


class StaleDraft(ValidationError):
    """The draft was saved elsewhere since this copy of it was opened (another tab)."""

    def __init__(self, stored):
        super().__init__("This draft was saved elsewhere after you opened it.")
        self.stored = stored


SIGNED_MESSAGE = "This note is signed and cannot be changed. Add an amendment instead."
NOT_THE_AUTHOR = "Only the practitioner who wrote this draft can edit or sign it."
UNREVIEWED_RED_FLAGS = (
    "Red flags from the intake have not been reviewed: record the review on the intake "
    "before signing the first note."
)


def refuse_if_signed(note):
    """The parts of a signed note are locked with it."""
    if getattr(note, "_signed_in_db", False):
        raise SignedNoteError("This note is signed and cannot be changed; add an amendment.")


class TreatmentSessionQuerySet(models.QuerySet):
    def with_points(self):
        points = SessionPoint.objects.select_related("point").order_by("order", "id")
        return self.prefetch_related(Prefetch("points", queryset=points))

    def for_timeline(self):
        return (
            self.with_points()
            .select_related("practitioner__practitioner_profile")
            .annotate(adverse_event_count=Count("adverse_events"))
            .order_by("-started_at", "-id")
        )

    def locked(self, pk):
        """The note's row, locked for this transaction (lock 2 of the order written at
        patients.models.records.PatientQuerySet; take the patient's first)."""
        return self.select_for_update(of=("self",)).select_related("patient").get(pk=pk)


class TreatmentSession(CheckConstraintsInPython, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed"

    class Technique(models.TextChoices):
        EVEN = "even", "Even"
        TONIFYING = "tonifying", "Tonifying"
        REDUCING = "reducing", "Reducing"

    class Waveform(models.TextChoices):
        CONTINUOUS = "continuous", "Continuous"
        DENSE_DISPERSE = "dense_disperse", "Dense-disperse"
        INTERMITTENT = "intermittent", "Intermittent"

    class Response(models.TextChoices):
        DE_QI = "de_qi", "De qi"
        TWITCH = "muscle_twitch", "Muscle twitch"
        NONE = "none", "None"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="treatment_sessions"
    )
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="treatment_sessions"
    )
    started_at = models.DateTimeField("date and time", default=timezone.now)
    session_number = models.PositiveSmallIntegerField("session number in the course")
    style = models.CharField(
        "style of acupuncture", max_length=20, choices=AcupunctureStyle,
        default=AcupunctureStyle.TCM,
    )  # fmt: skip
    pain_before = models.PositiveSmallIntegerField(
        "pain now, before (0-10)", null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    pain_after = models.PositiveSmallIntegerField(
        "pain now, after (0-10)", null=True, blank=True, validators=[MaxValueValidator(10)]
    )

    # TCM assessment
    tongue_body = models.CharField("tongue body colour", max_length=100, blank=True)
    tongue_coating = models.CharField(max_length=100, blank=True)
    tongue_shape = models.CharField(max_length=100, blank=True)
    pulse = models.CharField(max_length=200, blank=True, help_text="Qualities, per position.")
    pattern_diagnosis = models.CharField(max_length=200, blank=True)
    treatment_principle = models.CharField(max_length=200, blank=True)

    # SOAP
    subjective = models.TextField(blank=True)
    objective = models.TextField(blank=True)
    assessment = models.TextField(blank=True)
    plan = models.TextField(blank=True)

    # STRICTA details
    needle_diameter_mm = models.DecimalField(
        "needle diameter (mm)", max_digits=3, decimal_places=2, default=Decimal("0.25"),
        validators=[MinValueValidator(Decimal("0.10")), MaxValueValidator(Decimal("0.50"))],
    )  # fmt: skip
    needle_length_mm = models.PositiveSmallIntegerField(
        "needle length (mm)", default=40, validators=[MinValueValidator(5), MaxValueValidator(150)]
    )
    needle_material = models.CharField("needle material or brand", max_length=100, blank=True)
    depth_mm = models.DecimalField(
        "default depth (mm)", max_digits=4, decimal_places=1, null=True, blank=True,
        validators=DEPTH_VALIDATORS,
    )  # fmt: skip
    retention_minutes = models.PositiveSmallIntegerField(
        "retention (minutes)", default=20, validators=[MaxValueValidator(120)]
    )
    manual_technique = models.CharField(
        "manual stimulation", max_length=12, choices=Technique, blank=True
    )
    electrical = models.BooleanField("electrical stimulation", default=False)
    electro_frequency_hz = models.DecimalField(
        "frequency (Hz)", max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(200)],
    )  # fmt: skip
    electro_intensity = models.CharField(
        "intensity", max_length=50, blank=True, help_text="e.g. 2 mA, or to tolerance"
    )
    electro_waveform = models.CharField("waveform", max_length=16, choices=Waveform, blank=True)
    response_sought = models.CharField(max_length=16, choices=Response, blank=True)
    response_obtained = models.CharField(max_length=16, choices=Response, blank=True)

    # Co-interventions
    moxibustion = models.BooleanField(default=False)
    cupping = models.BooleanField(default=False)
    gua_sha = models.BooleanField(default=False)
    heat_lamp = models.BooleanField(default=False)
    herbal_formula = models.TextField(blank=True)
    advice = models.TextField("home exercise or movement advice", blank=True)

    pregnancy_acknowledged = models.BooleanField("pregnancy cautions acknowledged", default=False)
    status = models.CharField(max_length=6, choices=Status, default=Status.DRAFT)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    signed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = TreatmentSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["patient", "-started_at"], name="session_patient_time")]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "session_number"],
                name="session_number_unique_per_patient",
                violation_error_message="This patient already has a session with this number.",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(session_number__gte=1), name="session_number_positive"
            ),
            models.CheckConstraint(
                condition=Q(started_at__gte=datetime(2000, 1, 1, tzinfo=UTC)),
                name="session_started_after_2000",
            ),
            models.CheckConstraint(
                condition=Q(pain_before__isnull=True) | Q(pain_before__lte=10),
                name="session_pain_before_range",
            ),
            models.CheckConstraint(
                condition=Q(pain_after__isnull=True) | Q(pain_after__lte=10),
                name="session_pain_after_range",
            ),
            models.CheckConstraint(
                condition=Q(needle_diameter_mm__gte=Decimal("0.10"))
                & Q(needle_diameter_mm__lte=Decimal("0.50")),
                name="session_needle_diameter_range",
            ),
            models.CheckConstraint(
                condition=Q(needle_length_mm__gte=5) & Q(needle_length_mm__lte=150),
                name="session_needle_length_range",
            ),
            models.CheckConstraint(
                condition=Q(depth_mm__isnull=True)
                | Q(depth_mm__gte=Decimal("0.5"), depth_mm__lte=Decimal("100")),
                name="session_depth_range",
            ),
            models.CheckConstraint(
                condition=Q(retention_minutes__lte=120), name="session_retention_range"
            ),
            models.CheckConstraint(
                condition=Q(electrical=False) | Q(electro_frequency_hz__isnull=False),
                name="session_electrical_needs_frequency",
            ),
            models.CheckConstraint(
                condition=Q(electro_frequency_hz__isnull=True)
                | Q(electro_frequency_hz__gte=Decimal("0.5"), electro_frequency_hz__lte=200),
                name="session_frequency_range",
            ),
            models.CheckConstraint(
                condition=Q(style__in=AcupunctureStyle.values), name="session_style_valid"
            ),
            models.CheckConstraint(
                condition=Q(manual_technique__in=["", "even", "tonifying", "reducing"]),
                name="session_technique_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    electro_waveform__in=["", "continuous", "dense_disperse", "intermittent"]
                ),
                name="session_waveform_valid",
            ),
            models.CheckConstraint(
                condition=Q(response_sought__in=["", "de_qi", "muscle_twitch", "none"])
                & Q(response_obtained__in=["", "de_qi", "muscle_twitch", "none"]),
                name="session_response_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", signed_at__isnull=True, signed_by__isnull=True)
                | Q(status="signed", signed_at__isnull=False, signed_by__isnull=False),
                name="session_signed_consistently",
            ),
        ]

    def __str__(self):
        return f"Session {self.session_number} on {self.started_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        # A signed note is locked: corrections go into amendments.
        if getattr(self, "_signed_in_db", False):
            raise SignedNoteError("This note is signed and cannot be changed; add an amendment.")
        super().save(*args, **kwargs)
        self._signed_in_db = self.status == self.Status.SIGNED

    def get_absolute_url(self):
        return reverse(
            "sessions:detail", kwargs={"patient": self.patient.uuid, "session": self.uuid}
        )

    def delete(self, *args, **kwargs):
        refuse_if_signed(self)
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._signed_in_db = instance.status == cls.Status.SIGNED
        return instance

    @property
    def audit_patient_uuid(self):
        return self.patient.uuid

    @property
    def is_signed(self):
        return self.status == self.Status.SIGNED

    @property
    def needle_count(self):
        return sum(point.needle_count for point in self.points.all())

    @property
    def co_interventions(self):
        names = ["moxibustion", "cupping", "gua_sha", "heat_lamp"]
        return [self._meta.get_field(name).verbose_name for name in names if getattr(self, name)]

    def may_edit(self, user):
        return not self.is_signed and user == self.practitioner

    def edit_refusal(self, user):
        """Why `user` may not edit or sign this note, or "" if they may."""
        if self.is_signed:
            return SIGNED_MESSAGE
        if user != self.practitioner:
            return NOT_THE_AUTHOR
        return ""

    @property
    def version(self):
        """What a form carries to tell a stale copy of this draft (another tab's)."""
        return self.updated_at.isoformat() if self.updated_at else ""

    def warnings(self, points=None):
        """The safety review of this note (sessions.safety), for its points as stored or
        for `points` (AcupuncturePoints) about to be stored."""
        if points is None:
            points = [row.point for row in self.points.all()]
        return safety.review(self.patient, points, self.electrical)

    def red_flags_block_signing(self):
        """CLINICAL.md section 5: unreviewed red flags stop the first note being signed."""
        patient = self.patient
        if patient.treatment_sessions.filter(status=self.Status.SIGNED).exists():
            return False
        return patient.intakes.filter(has_red_flags=True, red_flag_review__isnull=True).exists()

    def saving_problems(self, points=None):
        """What stops this note from being saved: refusals and unacknowledged cautions, as
        (field, message) pairs."""
        blocking = safety.blocking(self.warnings(points), self.pregnancy_acknowledged)
        return [(warning.field, warning.message) for warning in blocking]

    def signing_problems(self, points=None):
        """Everything that stops this note from being signed, as (field, message) pairs;
        empty when it may be signed. The form, the sign button and the admin all ask this."""
        problems = self.saving_problems(points)
        if self.red_flags_block_signing():
            problems.append(("", UNREVIEWED_RED_FLAGS))
        return problems

    @transaction.atomic
    def sign(self, by, version=None):
        """Sign the note as `by`. Inside the note's row lock it checks again that the
        stored note is still a draft by `by`, unchanged since `version` was read (if given),
        and that every signing rule holds, so a draft save or a second sign at the same
        moment cannot undo or repeat it."""
        Patient.objects.lock(self.patient_id)
        stored = type(self).objects.locked(self.pk)
        if stored.is_signed:
            raise SignedNoteError("This note is already signed.")
        if version is not None and stored.version != version:
            raise StaleDraft(stored)
        if by != stored.practitioner:
            raise SigningRefused(NOT_THE_AUTHOR)
        if problems := stored.signing_problems():
            raise SigningRefused([message for _, message in problems])
        self.status = stored.status = self.Status.SIGNED
        self.signed_by = stored.signed_by = by
        self.signed_at = stored.signed_at = timezone.now()
        stored.save(update_fields=["status", "signed_by", "signed_at", "updated_at"])
        self.updated_at = stored.updated_at
        self._signed_in_db = True


class NotePart(CheckConstraintsInPython, models.Model):
    """A row of a treatment note (a point, an adverse event): locked with the note."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        refuse_if_signed(self.session)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        refuse_if_signed(self.session)
        return super().delete(*args, **kwargs)

    @property
    def audit_patient_uuid(self):
        return self.session.patient.uuid


class SessionPoint(NotePart):
    session = models.ForeignKey(TreatmentSession, on_delete=models.CASCADE, related_name="points")
    point = models.ForeignKey(AcupuncturePoint, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=1, choices=Side)
    depth_mm = models.DecimalField(
        "depth (mm)", max_digits=4, decimal_places=1, null=True, blank=True,
        validators=DEPTH_VALIDATORS,
    )  # fmt: skip
    manual_technique = models.CharField(
        "stimulation", max_length=12, choices=TreatmentSession.Technique, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "point", "side"],
                name="sessionpoint_once_per_side",
                violation_error_message="This point and side are already in the session.",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(side__in=["L", "R", "B", "M"]), name="sessionpoint_side_valid"
            ),
            models.CheckConstraint(
                condition=Q(depth_mm__isnull=True)
                | Q(depth_mm__gte=Decimal("0.5"), depth_mm__lte=Decimal("100")),
                name="sessionpoint_depth_range",
            ),
            models.CheckConstraint(
                condition=Q(manual_technique__in=["", "even", "tonifying", "reducing"]),
                name="sessionpoint_technique_valid",
            ),
        ]

    def __str__(self):
        return f"{self.point.code} {self.get_side_display().lower()}"

    @property
    def needle_count(self):
        return 2 if self.side == Side.BILATERAL else 1


class ProtocolQuerySet(models.QuerySet):
    def for_user(self, user):
        points = ProtocolPoint.objects.select_related("point").order_by("order", "id")
        return (
            self.filter(Q(owner=user) | Q(shared=True))
            .prefetch_related(Prefetch("points", queryset=points))
            .order_by("name", "id")
        )


class Protocol(models.Model):
    """A named set of points with sides: a practitioner's own, or shared with the clinic."""

    name = models.CharField(max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="protocols"
    )
    shared = models.BooleanField("shared with the clinic", default=True)
    notes = models.TextField(blank=True)

    objects = ProtocolQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="protocol_name_per_owner"),
            models.CheckConstraint(condition=~Q(name=""), name="protocol_name_set"),
        ]

    def __str__(self):
        return self.name


class ProtocolPoint(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="points")
    point = models.ForeignKey(AcupuncturePoint, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=1, choices=Side)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "point", "side"], name="protocolpoint_once_per_side"
            ),
            models.CheckConstraint(
                condition=Q(side__in=["L", "R", "B", "M"]), name="protocolpoint_side_valid"
            ),
        ]

    def __str__(self):
        return f"{self.point.code} {self.get_side_display().lower()}"

    def clean(self):
        if self.point_id and (error := side_error(self.point, self.side)):
            raise ValidationError({"side": error})


class AdverseEvent(NotePart):
    """Categories and severities of CLINICAL.md section 4."""

    class Category(models.TextChoices):
        BLEEDING = "bleeding", "Bleeding or bruising"
        NEEDLE_PAIN = "needle_pain", "Pain at needle site"
        FLARE = "flare", "Symptom flare"
        DIZZINESS = "dizziness", "Dizziness or fainting"
        NAUSEA = "nausea", "Nausea"
        DROWSINESS = "drowsiness", "Drowsiness or fatigue"
        SKIN = "skin", "Local skin reaction"
        BURN = "burn", "Burn (moxibustion)"
        INFECTION = "infection", "Infection"
        NEEDLE_FAULT = "needle_fault", "Stuck, bent or broken needle"
        RETAINED = "retained", "Retained (forgotten) needle"
        PNEUMOTHORAX = "pneumothorax", "Pneumothorax"
        NERVE = "nerve", "Nerve injury"
        OTHER = "other", "Other"

    class Severity(models.TextChoices):
        MILD = "mild", "Mild"
        MODERATE = "moderate", "Moderate"
        SERIOUS = "serious", "Serious"

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.CASCADE, related_name="adverse_events"
    )
    category = models.CharField(max_length=16, choices=Category)
    severity = models.CharField(max_length=8, choices=Severity)
    description = models.TextField(blank=True)
    action_taken = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    category__in=[
                        "bleeding",
                        "needle_pain",
                        "flare",
                        "dizziness",
                        "nausea",
                        "drowsiness",
                        "skin",
                        "burn",
                        "infection",
                        "needle_fault",
                        "retained",
                        "pneumothorax",
                        "nerve",
                        "other",
                    ]
                ),
                name="adverseevent_category_valid",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(severity__in=["mild", "moderate", "serious"]),
                name="adverseevent_severity_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()} ({self.get_severity_display().lower()})"


class Amendment(models.Model):
    """A correction or addition to a signed note; the original stays as it was."""

    session = models.ForeignKey(
        TreatmentSession, on_delete=models.PROTECT, related_name="amendments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="amendment_text_set")]

    def __str__(self):
        return f"Amendment by {self.author} on {self.created_at:%Y-%m-%d}"

    KEPT = "An amendment is part of the signed record and cannot be changed or removed."

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SignedNoteError(self.KEPT)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SignedNoteError(self.KEPT)

    @property
    def audit_patient_uuid(self):
        return self.session.patient.uuid


for model in (TreatmentSession, SessionPoint, AdverseEvent, Amendment):
    trail.track(model)
