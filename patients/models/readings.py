"""Outcome readings: every value of every measure, with its date and source.

The progress dashboard reads from here. Scores (PEG, PSFS mean) come from
patients.scoring, and are stored as readings of their own so charts and aggregates stay
simple queries.
"""

from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Window
from django.db.models.functions import RowNumber

NRS_MEASURES = [
    "pain_now",
    "pain_average",
    "pain_worst",
    "enjoyment",
    "activity",
    "peg",
    "psfs",
    "confidence",
    "session_pain_before",
    "session_pain_after",
]


class OutcomeReadingQuerySet(models.QuerySet):
    def recent_pain(self, patient_ids, count=8):
        """patient id -> their last `count` average-pain readings (intake and check-ins),
        oldest first, for the patient list's sparklines: one query for a page of patients."""
        rows = (
            self.filter(patient_id__in=patient_ids, measure="pain_average")
            .annotate(
                newness=Window(
                    RowNumber(),
                    partition_by=F("patient_id"),
                    order_by=[F("taken_on").desc(), F("id").desc()],
                )
            )
            .filter(newness__lte=count)
            .order_by("patient_id", "taken_on", "id")
            .values_list("patient_id", "value")
        )
        found = {}
        for patient_id, value in rows:
            found.setdefault(patient_id, []).append(value)
        return found

    def record(self, values, *, patient_id, taken_on, **origin):
        """The readings of one intake, check-in or session (`origin`: intake=, checkin= or
        session=, which is also their source), measure -> value, in one INSERT; a value
        of None was not measured and is not stored."""
        ((name, row),) = origin.items()
        return self.bulk_create(
            self.model(
                patient_id=patient_id,
                measure=measure,
                value=value,
                taken_on=taken_on,
                source=self.model.Source(name),
                **{name: row},
            )  # fmt: skip
            for measure, value in values.items()
            if value is not None
        )


class OutcomeReading(models.Model):
    class Measure(models.TextChoices):
        PAIN_NOW = "pain_now", "Pain now"
        PAIN_AVERAGE = "pain_average", "Average pain, past week"
        PAIN_WORST = "pain_worst", "Worst pain, past week"
        ENJOYMENT = "enjoyment", "Interference with enjoyment of life (PEG E)"
        ACTIVITY = "activity", "Interference with general activity (PEG G)"
        PEG = "peg", "PEG score"
        PSFS = "psfs", "PSFS mean"
        CONFIDENCE = "confidence", "Movement confidence (clinic measure)"
        ACTIVE_MINUTES = "active_minutes", "Active minutes, past week"
        SESSION_PAIN_BEFORE = "session_pain_before", "Pain before treatment"
        SESSION_PAIN_AFTER = "session_pain_after", "Pain after treatment"

    class Source(models.TextChoices):
        INTAKE = "intake", "Intake"
        CHECKIN = "checkin", "Check-in"
        SESSION = "session", "Session"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="readings"
    )
    measure = models.CharField(max_length=20, choices=Measure)
    value = models.DecimalField(max_digits=6, decimal_places=2)
    taken_on = models.DateField()
    source = models.CharField(max_length=8, choices=Source)
    intake = models.ForeignKey(
        "patients.Intake", null=True, blank=True, on_delete=models.CASCADE, related_name="readings"
    )
    checkin = models.ForeignKey(
        "patients.CheckIn",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="readings",
    )
    session = models.ForeignKey(
        "treatment_sessions.TreatmentSession",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="readings",
    )

    objects = OutcomeReadingQuerySet.as_manager()

    class Meta:
        ordering = ["taken_on", "id"]
        indexes = [
            models.Index(fields=["patient", "measure", "taken_on"], name="reading_patient_measure")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(measure__in=NRS_MEASURES, value__gte=0, value__lte=10)
                | Q(measure="active_minutes", value__gte=0, value__lte=10080),
                name="reading_value_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    source="intake",
                    intake__isnull=False,
                    checkin__isnull=True,
                    session__isnull=True,
                )
                | Q(
                    source="checkin",
                    checkin__isnull=False,
                    intake__isnull=True,
                    session__isnull=True,
                )
                | Q(
                    source="session",
                    session__isnull=False,
                    intake__isnull=True,
                    checkin__isnull=True,
                ),
                name="reading_one_source",
            ),
            models.UniqueConstraint(fields=["intake", "measure"], name="reading_once_per_intake"),
            models.UniqueConstraint(fields=["checkin", "measure"], name="reading_once_per_checkin"),
            models.UniqueConstraint(fields=["session", "measure"], name="reading_once_per_session"),
        ]

    def __str__(self):
        return f"{self.get_measure_display()}: {self.value} on {self.taken_on}"


class PsfsActivityQuerySet(models.QuerySet):
    def for_story(self):
        """The activities in their order, each with its rating at intake (baseline) and
        its latest check-in rating (latest; None before the first check-in),
        for the session form's story panel: one query."""
        ratings = PsfsRating.objects.filter(activity=OuterRef("pk"))
        latest = ratings.filter(checkin__isnull=False).order_by("-taken_on", "-id")
        return self.annotate(
            baseline=Subquery(ratings.filter(intake__isnull=False).values("value")[:1]),
            latest=Subquery(latest.values("value")[:1]),
        ).order_by("position", "id")


class PsfsActivity(models.Model):
    """An activity the patient named at intake, re-rated at every check-in."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="psfs_activities"
    )
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField()

    objects = PsfsActivityQuerySet.as_manager()

    class Meta:
        verbose_name = "PSFS activity"
        verbose_name_plural = "PSFS activities"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "position"], name="psfs_activity_position"),
            models.CheckConstraint(condition=~Q(name=""), name="psfs_activity_name_set"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=5), name="psfs_activity_position_range"
            ),
        ]

    def __str__(self):
        return self.name


class PsfsRating(models.Model):
    activity = models.ForeignKey(PsfsActivity, on_delete=models.CASCADE, related_name="ratings")
    value = models.PositiveSmallIntegerField()
    taken_on = models.DateField()
    intake = models.ForeignKey(
        "patients.Intake", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    checkin = models.ForeignKey(
        "patients.CheckIn",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="psfs_ratings",
    )

    class Meta:
        verbose_name = "PSFS rating"
        ordering = ["taken_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(value__lte=10), name="psfs_rating_range"),
            models.CheckConstraint(
                condition=Q(intake__isnull=False, checkin__isnull=True)
                | Q(intake__isnull=True, checkin__isnull=False),
                name="psfs_rating_one_source",
            ),
            models.UniqueConstraint(
                fields=["activity", "checkin"], name="psfs_rating_once_per_checkin"
            ),
            models.UniqueConstraint(
                fields=["activity", "intake"], name="psfs_rating_once_per_intake"
            ),
        ]

    def __str__(self):
        return f"{self.activity}: {self.value} on {self.taken_on}"


# A check-in's answers, in the form's order: each is a CheckIn field and the measure of
# one of its readings.
CHECKIN_SCORES = [
    "pain_now",
    "pain_average",
    "pain_worst",
    "enjoyment",
    "activity",
    "confidence",
    "active_minutes",
]


class CheckIn(models.Model):
    """A patient's short between-visit report; one per calendar day (a second updates it)."""

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.PROTECT, related_name="checkins"
    )
    link = models.ForeignKey(
        "patients.PatientLink", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    taken_on = models.DateField()
    pain_now = models.PositiveSmallIntegerField()
    pain_average = models.PositiveSmallIntegerField()
    pain_worst = models.PositiveSmallIntegerField()
    enjoyment = models.PositiveSmallIntegerField()
    activity = models.PositiveSmallIntegerField()
    confidence = models.PositiveSmallIntegerField()
    active_minutes = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "check-in"
        ordering = ["-taken_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "taken_on"], name="checkin_once_a_day"),
            models.CheckConstraint(
                condition=Q(
                    pain_now__lte=10,
                    pain_average__lte=10,
                    pain_worst__lte=10,
                    enjoyment__lte=10,
                    activity__lte=10,
                    confidence__lte=10,
                ),
                name="checkin_scores_range",
            ),
            models.CheckConstraint(
                condition=Q(active_minutes__lte=10080), name="checkin_active_minutes_range"
            ),
        ]

    def __str__(self):
        return f"Check-in on {self.taken_on}"

    @property
    def audit_patient_uuid(self):
        return self.patient.uuid
