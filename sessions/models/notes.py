"""Treatment notes: what was done in a session, to STRICTA 2010 (CLINICAL.md section 6).

A note's rules (editing, saving, signing) and its amendments are in sessions.models.signing,
its adverse events in sessions.models.adverse_events.
"""

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from audit import trail
from core.constraints import CheckConstraintsInPython
from sessions.models.points import MAX_NEEDLES_PER_SIDE, AcupuncturePoint, Side, needles_for
from sessions.models.signing import (
    ARCHIVED_PATIENT,
    LOCKED_MESSAGE,
    SessionConflict,
    SessionRules,
    SignedSessionError,
    refuse_if_signed,
)
from staff.models import AcupunctureStyle

DEPTH_VALIDATORS = [MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("100"))]
DIAMETER_VALIDATORS = [MinValueValidator(Decimal("0.10")), MaxValueValidator(Decimal("0.50"))]
LENGTH_VALIDATORS = [MinValueValidator(5), MaxValueValidator(150)]
FREQUENCY_VALIDATORS = [MinValueValidator(Decimal("0.5")), MaxValueValidator(200)]
SECOND_FREQUENCY_ONLY_DENSE_DISPERSE = (
    "A second frequency is for dense-disperse electroacupuncture: choose that waveform, or "
    "leave it blank."
)

# What a new note copies from the patient's last one ("repeat last treatment").
REPEATED_FIELDS = [
    "style", "needle_diameter_mm", "needle_length_mm", "needle_material", "depth_mm",
    "retention_minutes", "manual_technique", "electrical", "electro_frequency_hz",
    "electro_frequency_2_hz", "electro_intensity", "electro_waveform", "response_sought",
    "pattern_diagnosis", "treatment_principle",
]  # fmt: skip


# What a note's card on the patient page's timeline shows (templates/patients/
# patient_detail.html): its link, number, date, status, pain, practitioner and points.
TIMELINE_FIELDS = [
    "uuid", "patient", "started_at", "session_number", "status", "pain_before", "pain_after",
    "practitioner__username", "practitioner__practitioner_profile__display_name",
]  # fmt: skip


class TreatmentSessionQuerySet(models.QuerySet):
    def with_points(self):
        points = SessionPoint.objects.select_related("point").order_by("order", "id")
        return self.prefetch_related(Prefetch("points", queryset=points))

    def for_timeline(self):
        """The notes as the patient page's timeline shows them: their card's fields only,
        not the SOAP text and treatment details (ten notes in 4.3 ms instead of 5.9,
        docs/performance.md)."""
        return (
            self.with_points()
            .select_related("practitioner__practitioner_profile")
            .only(*TIMELINE_FIELDS)
            .annotate(adverse_event_count=Count("adverse_events"))
            .order_by("-started_at", "-id")
        )

    def locked(self, pk):
        """The note's row, locked for this transaction (lock 2 of the order written at
        patients.models.records.PatientQuerySet; take the patient's first)."""
        return self.select_for_update(of=("self",)).select_related("patient").get(pk=pk)


class TreatmentSession(SessionRules, CheckConstraintsInPython, models.Model):
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
        validators=DIAMETER_VALIDATORS,
    )  # fmt: skip
    needle_length_mm = models.PositiveSmallIntegerField(
        "needle length (mm)", default=40, validators=LENGTH_VALIDATORS
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
        validators=FREQUENCY_VALIDATORS,
    )  # fmt: skip
    electro_frequency_2_hz = models.DecimalField(
        "second frequency (Hz)", max_digits=4, decimal_places=1, null=True, blank=True,
        validators=FREQUENCY_VALIDATORS,
        help_text="Dense-disperse only: the other of the two, e.g. 100 for 2/100 Hz.",
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
    other_co_intervention = models.CharField(
        "other co-intervention", max_length=200, blank=True,
        help_text="e.g. TENS, kinesiology tape, infrared",
    )  # fmt: skip
    advice = models.TextField("home exercise or movement advice", blank=True)

    # Notes before each caution was acknowledged on its own (CautionAcknowledgement) had
    # one box for the pregnancy cautions; kept for them, no longer asked.
    pregnancy_acknowledged = models.BooleanField("pregnancy cautions acknowledged", default=False)
    status = models.CharField(max_length=6, choices=Status, default=Status.DRAFT)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    signed_at = models.DateTimeField(null=True, blank=True)
    # What STRICTA expects that the note lacked when it was signed, signed past knowingly
    # ("no notes text; no needle type"); see SessionRules.missing_details.
    signed_with = models.CharField("signed knowing it lacks", max_length=200, blank=True)
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
                condition=Q(electro_frequency_2_hz__isnull=True)
                | Q(electro_frequency_2_hz__gte=Decimal("0.5"), electro_frequency_2_hz__lte=200),
                name="session_second_frequency_range",
            ),
            models.CheckConstraint(
                condition=Q(electro_frequency_2_hz__isnull=True)
                | Q(electrical=True, electro_waveform="dense_disperse"),
                name="session_second_frequency_dense_disperse",
                violation_error_message=SECOND_FREQUENCY_ONLY_DENSE_DISPERSE,
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
            models.CheckConstraint(
                condition=Q(status="signed") | Q(signed_with=""),
                name="session_signed_with_only_if_signed",
            ),
        ]

    def __str__(self):
        return f"Session {self.session_number} on {self.started_at:%Y-%m-%d}"

    def save(self, *args, **kwargs):
        # A signed note is locked: corrections go into amendments.
        if getattr(self, "_signed_in_db", False):
            raise SignedSessionError(LOCKED_MESSAGE)
        super().save(*args, **kwargs)
        self._signed_in_db = self.status == self.Status.SIGNED

    def get_absolute_url(self):
        return reverse(
            "sessions:detail", kwargs={"patient_uuid": self.patient.uuid, "session_uuid": self.uuid}
        )

    @classmethod
    def start(cls, patient, practitioner):
        """A new, unsaved note, begun from the patient's last one ("repeat last treatment")
        or else from the practitioner's defaults; returned with that last note (or None).
        SessionConflict when the patient is archived."""
        if patient.is_archived:
            raise SessionConflict(ARCHIVED_PATIENT)
        last = patient.treatment_sessions.with_points().order_by("-started_at", "-id").first()
        session = cls(patient=patient, practitioner=practitioner)
        if last is not None:
            for name in REPEATED_FIELDS:
                setattr(session, name, getattr(last, name))
        elif (profile := getattr(practitioner, "practitioner_profile", None)) is not None:
            session.style = profile.acupuncture_style
            session.needle_diameter_mm = profile.default_needle_diameter_mm
            session.needle_length_mm = profile.default_needle_length_mm
            session.retention_minutes = profile.default_retention_minutes
        return session, last

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
    def point_sides(self):
        """(AcupuncturePoint, side) of each of the note's points, as stored."""
        if self.pk is None:
            return []
        return [(row.point, row.side) for row in self.points.all()]

    @property
    def co_interventions(self):
        names = ["moxibustion", "cupping", "gua_sha", "heat_lamp"]
        done = [self._meta.get_field(name).verbose_name for name in names if getattr(self, name)]
        if self.other_co_intervention:
            done.append(f"other: {self.other_co_intervention}")
        return done

    @property
    def needle_type(self):
        """'0.25 x 40 mm', with the material or brand when given."""
        size = f"{self.needle_diameter_mm} x {self.needle_length_mm} mm"
        return f"{size}, {self.needle_material}" if self.needle_material else size

    @property
    def frequency(self):
        """'2 Hz', or '2/100 Hz' for dense-disperse with its second frequency; '' if none."""
        values = [v for v in (self.electro_frequency_hz, self.electro_frequency_2_hz) if v]
        return "/".join(f"{v.normalize():f}" for v in values) + " Hz" if values else ""


class SessionPart(CheckConstraintsInPython, models.Model):
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


class SessionPoint(SessionPart):
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
    needles_per_side = models.PositiveSmallIntegerField(
        "needles per side", null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_NEEDLES_PER_SIDE)],
        help_text="Blank: the point's own count (Baxie 4, Jiaji 1 a level).",
    )  # fmt: skip
    needle_diameter_mm = models.DecimalField(
        "needle diameter (mm)", max_digits=3, decimal_places=2, null=True, blank=True,
        validators=DIAMETER_VALIDATORS, help_text="Blank: the session's needle.",
    )  # fmt: skip
    needle_length_mm = models.PositiveSmallIntegerField(
        "needle length (mm)", null=True, blank=True, validators=LENGTH_VALIDATORS,
        help_text="Blank: the session's needle.",
    )  # fmt: skip
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
            models.CheckConstraint(
                condition=Q(needles_per_side__isnull=True)
                | Q(needles_per_side__gte=1, needles_per_side__lte=MAX_NEEDLES_PER_SIDE),
                name="sessionpoint_needles_per_side_range",
            ),
            models.CheckConstraint(
                condition=Q(needle_diameter_mm__isnull=True)
                | Q(
                    needle_diameter_mm__gte=Decimal("0.10"),
                    needle_diameter_mm__lte=Decimal("0.50"),
                ),
                name="sessionpoint_needle_diameter_range",
            ),
            models.CheckConstraint(
                condition=Q(needle_length_mm__isnull=True)
                | Q(needle_length_mm__gte=5, needle_length_mm__lte=150),
                name="sessionpoint_needle_length_range",
            ),
        ]

    def __str__(self):
        return f"{self.point.code} {self.get_side_display().lower()}"

    @property
    def needle_count(self):
        """The row's own count per side, else its point's, times its sides."""
        return needles_for(self.needles_per_side or self.point.needles_per_side, self.side)

    @property
    def needle_type(self):
        """This row's needle, each measure defaulting to the session's: '0.30 x 25 mm'."""
        session = self.session
        diameter = self.needle_diameter_mm or session.needle_diameter_mm
        length = self.needle_length_mm or session.needle_length_mm
        return f"{diameter} x {length} mm"

    @property
    def own_needle(self):
        """Whether this row names a needle other than the session's."""
        return bool(self.needle_diameter_mm or self.needle_length_mm)


for model in (TreatmentSession, SessionPoint):
    trail.track(model)
