"""A small per-patient summary, so the clinic dashboard aggregates one row a patient
instead of scanning every reading, session and phase change on each view.

It is derived data: patients.summary.refresh_summary() rewrites it from the patient and
the history in the same transaction as every write that changes it (the patient saved, a
check-in, a session note, a phase change, an accepted intake).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from patients.models.phases import Phase


class PatientSummary(models.Model):
    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    # The patient's own status and practitioner, copied so that the dashboard counts one
    # table without a join.
    status = models.CharField(max_length=20, blank=True)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phase = models.PositiveSmallIntegerField(null=True, blank=True, choices=Phase)
    phase_started_on = models.DateField(null=True, blank=True)
    reached_phase_2_on = models.DateField(null=True, blank=True)
    reached_phase_3_on = models.DateField(null=True, blank=True)
    baseline_pain = models.DecimalField(
        "average pain at intake", max_digits=4, decimal_places=2, null=True, blank=True
    )
    latest_pain = models.DecimalField(
        "latest average pain since", max_digits=4, decimal_places=2, null=True, blank=True
    )
    latest_pain_on = models.DateField(null=True, blank=True)
    last_reading_on = models.DateField(null=True, blank=True)
    sessions = models.PositiveIntegerField(default=0)
    sessions_with_adverse_event = models.PositiveIntegerField(default=0)
    adverse_events = models.PositiveIntegerField(default=0)
    needles = models.PositiveIntegerField("needles (a bilateral point counts two)", default=0)
    sessions_before_phase_2 = models.PositiveIntegerField(null=True, blank=True)
    sessions_before_phase_3 = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "patient summaries"
        indexes = [models.Index(fields=["phase"], name="summary_phase")]  # the list's filter
        constraints = [
            models.CheckConstraint(
                condition=Q(phase__isnull=True) | Q(phase__gte=1, phase__lte=3),
                name="summary_phase_range",
            ),
            models.CheckConstraint(
                condition=Q(baseline_pain__isnull=True)
                | Q(baseline_pain__gte=0, baseline_pain__lte=10),
                name="summary_baseline_range",
            ),
            models.CheckConstraint(
                condition=Q(latest_pain__isnull=True) | Q(latest_pain__gte=0, latest_pain__lte=10),
                name="summary_latest_range",
            ),
            models.CheckConstraint(
                condition=Q(sessions_with_adverse_event__lte=models.F("sessions")),
                name="summary_adverse_events_within_sessions",
            ),
        ]

    def __str__(self):
        return f"Summary of patient {self.patient_id}"

    @property
    def audit_patient_uuid(self):
        return self.patient.uuid
