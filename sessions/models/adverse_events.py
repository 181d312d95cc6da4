"""Adverse events of a treatment session: the categories and severities of CLINICAL.md
section 4, locked with the note when it is signed."""

from django.db import models
from django.db.models import Q

from audit import trail
from sessions.models.notes import SessionPart, TreatmentSession


class AdverseEvent(SessionPart):
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


trail.track(AdverseEvent)
