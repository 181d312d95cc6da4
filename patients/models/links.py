"""Links sent to patients: the only way a patient reaches the app, without an account.

A link is 256 random bits; only its SHA-256 is stored, so the database cannot give it
away. It expires, can be revoked, and an intake link closes once the intake is submitted.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


class PatientLinkQuerySet(models.QuerySet):
    def usable(self):
        now = timezone.now()
        return self.filter(expires_at__gt=now, revoked_at__isnull=True, closed_at__isnull=True)

    def find(self, token, purpose):
        """The usable link for this token and purpose, or None: no hint why not."""
        if not token or len(token) > 100:
            return None
        return (
            self.usable()
            .select_related("patient")
            .filter(token_hash=token_hash(token), purpose=purpose)
            .first()
        )


class PatientLink(models.Model):
    class Purpose(models.TextChoices):
        INTAKE = "intake", "Intake"
        CHECKIN = "checkin", "Check-in"

    class Email(models.TextChoices):
        NONE = "", "Not emailed"
        QUEUED = "queued", "Email queued"
        SENT = "sent", "Emailed"
        FAILED = "failed", "Email failed"

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="links")
    purpose = models.CharField(max_length=8, choices=Purpose)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the intake was submitted through it."
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Its email, sent by the task queue (patients.tasks.email_link).
    email_status = models.CharField(max_length=6, choices=Email, default=Email.NONE, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_done_at = models.DateTimeField("emailed or given up at", null=True, blank=True)

    objects = PatientLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=["intake", "checkin"]), name="patientlink_purpose_valid"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="patientlink_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=Q(email_status__in=["", "queued", "sent", "failed"]),
                name="patientlink_email_valid",
            ),
            # A failed email leaves no working link behind.
            models.CheckConstraint(
                condition=~Q(email_status="failed") | Q(revoked_at__isnull=False),
                name="patientlink_failed_email_revoked",
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} link ({self.state})"

    @classmethod
    def issue(cls, patient, purpose, by=None):
        """Make a link; returns (link, token). The token is shown once and never stored."""
        days = (
            settings.INTAKE_LINK_DAYS
            if purpose == cls.Purpose.INTAKE
            else settings.CHECKIN_LINK_DAYS
        )
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        link = cls.objects.create(
            patient=patient,
            purpose=purpose,
            token_hash=token_hash(token),
            created_by=by,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        return link, token

    @property
    def audit_patient_uuid(self):
        return self.patient.uuid

    @property
    def state(self):
        if self.revoked_at:
            return "revoked"
        if self.closed_at:
            return "used"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    def email_finished(self, sent, attempts):
        """Record how its email ended: sent, or given up after `attempts` (the link is
        revoked then: nobody has it, and nobody should find it working later)."""
        now = timezone.now()
        self.email_status = self.Email.SENT if sent else self.Email.FAILED
        self.email_attempts, self.email_done_at = attempts, now
        if not sent and self.revoked_at is None:
            self.revoked_at = now
        self.save(update_fields=["email_status", "email_attempts", "email_done_at", "revoked_at"])
