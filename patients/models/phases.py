"""Phases of care (CLINICAL.md section 1): calm things down, build confidence in movement,
move more. A patient's current phase is the latest change; only a practitioner makes one."""

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from patients.models.readings import OutcomeReading


class Phase(models.IntegerChoices):
    CALM = 1, "Calm things down"
    CONFIDENCE = 2, "Build confidence in movement"
    MOVE = 3, "Move more"

    @property
    def in_patient_words(self):
        """The phase as the patient's own pages put it: "Phase 1 of 3: calming things down"."""
        aim = {1: "calming things down", 2: "building confidence in movement", 3: "moving more"}
        return f"Phase {self.value} of {len(Phase)}: {aim[self.value]}"


class PhaseChangeQuerySet(models.QuerySet):
    def in_phase_at_end_of_week(self, phase, monday):
        """The spells in `phase` on the last day (Sunday) of the week starting `monday`:
        started by then, not ended by then (ended_on is the first day out of the phase).
        The same rule as PatientSummary.objects.phase_flow()'s counts."""
        sunday = monday + timedelta(days=6)
        return self.filter(phase=phase, started_on__lte=sunday).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gt=sunday)
        )


class PhaseChange(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="phase_changes"
    )
    phase = models.PositiveSmallIntegerField(choices=Phase)
    started_on = models.DateField()
    # The first day no longer in this phase: the next change's start, or for a discharged
    # or archived patient's last spell their last reading (the record keeps no discharge
    # date); null while the spell is open. Derived data: written by
    # PatientSummary.objects.refresh() (patients.summary.spell_end), in the transaction of
    # every write that changes a patient's phases or status.
    ended_on = models.DateField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PhaseChangeQuerySet.as_manager()

    class Meta:
        ordering = ["started_on", "id"]
        indexes = [
            models.Index(fields=["patient", "-started_on"], name="phasechange_latest"),
            # The dashboard's phase flow: spells by phase and start (or end) week.
            models.Index(fields=["phase", "started_on", "ended_on"], name="phasechange_spell"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(phase__gte=1, phase__lte=3), name="phasechange_phase_range"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="phasechange_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_phase_display()} from {self.started_on}"

    @property
    def audit_patient_uuid(self):
        return self.patient.uuid


class PhaseSuggestion(models.Model):
    """A rule's suggestion from the latest readings (patients.rules), waiting for the
    practitioner; accepted or dismissed, it is kept. A dismissed one returns only when newer
    readings trigger it again."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting"
        ACCEPTED = "accepted", "Accepted"
        DISMISSED = "dismissed", "Dismissed"
        LAPSED = "lapsed", "No longer met"

    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="phase_suggestions"
    )
    kind = models.CharField(max_length=20)
    to_phase = models.PositiveSmallIntegerField(null=True, blank=True, choices=Phase)
    reason = models.CharField(max_length=300)
    evidence = models.JSONField(default=list)
    evidence_through = models.DateField(help_text="The newest reading behind it.")
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["phase_2", "phase_3", "discharge_review", "flare_review"]),
                name="phasesuggestion_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "accepted", "dismissed", "lapsed"]),
                name="phasesuggestion_status_valid",
            ),
            models.UniqueConstraint(
                fields=["patient"], condition=Q(status="open"), name="phasesuggestion_one_open"
            ),
        ]

    def __str__(self):
        return f"{self.kind} ({self.get_status_display().lower()})"

    def evidence_readings(self):
        """The readings behind it, as (measure's name, value, date) for people to read:
        ("Active minutes, past week", "240", date(2026, 10, 19))."""
        names = dict(OutcomeReading.Measure.choices)
        return [
            (names.get(item["measure"], item["measure"]), item["value"],
             date.fromisoformat(item["taken_on"]))
            for item in self.evidence
        ]  # fmt: skip

    @property
    def audit_patient_uuid(self):
        return self.patient.uuid
