"""A practitioner's acknowledgement of one caution of a treatment note (CLINICAL.md section 4):
who, when, and which caution, in the words they were shown. Part of the note: locked with
it once it is signed (sessions.models.notes.SessionPart, and the database's triggers)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from audit import trail
from sessions.models.notes import SessionPart, TreatmentSession


class CautionAcknowledgement(SessionPart):
    session = models.ForeignKey(
        TreatmentSession, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    # The caution's key (sessions.safety.KEYS): "lung_field:LU1", "condition:needle_fear".
    caution = models.CharField(max_length=80)
    message = models.CharField("caution as shown", max_length=400)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["acknowledged_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "caution"],
                name="acknowledgement_once_per_caution",
                violation_error_message="This caution is already acknowledged on this note.",
            ),
            models.CheckConstraint(condition=~Q(caution=""), name="acknowledgement_caution_set"),
            models.CheckConstraint(condition=~Q(message=""), name="acknowledgement_message_set"),
        ]

    def __str__(self):
        return f"Acknowledged: {self.message}"


trail.track(CautionAcknowledgement)
