from django.conf import settings
from django.db import models
from django.db.models import Q


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit trail is append-only.")

    def delete(self):
        raise TypeError("The audit trail is append-only.")


class AuditEvent(models.Model):
    """One read or write of patient data. Append-only: rows are never changed or deleted.

    Rows hold identifiers, never names or clinical values, so the trail can be read
    without exposing what was looked at.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        LIST = "list", "Listed"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        DELETE = "delete", "Deleted"
        EXPORT = "export", "Exported"

    at = models.DateTimeField("when", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    actor = models.CharField(max_length=150, help_text="Who acted, as they were known then.")
    action = models.CharField(max_length=10, choices=Action)
    object_type = models.CharField("record type", max_length=100)
    object_id = models.CharField("record id", max_length=64, blank=True)
    patient_uuid = models.UUIDField("patient's uuid", null=True, blank=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        # The table keeps the name it had when this model lived in the clinic app.
        db_table = "clinic_auditevent"
        verbose_name = "audit trail entry"
        verbose_name_plural = "audit trail"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient_uuid", "-at"], name="auditevent_patient_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=["view", "list", "create", "change", "delete", "export"]),
                name="auditevent_action_valid",
            ),
        ]

    def __str__(self):
        return f"{self.actor} {self.get_action_display().lower()} {self.object_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit trail is append-only.")
