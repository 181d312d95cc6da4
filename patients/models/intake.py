"""The patient's intake: answered step by step through a link, then reviewed."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from patients.models.links import PatientLink


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
    consent_version = models.ForeignKey(
        ConsentVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consent_name = models.CharField("signature (typed full name)", max_length=200, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_ip = models.GenericIPAddressField(null=True, blank=True)
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


class RedFlagReview(models.Model):
    """A practitioner's recorded review of an intake's red flags (CLINICAL.md section 5)."""

    class Action(models.TextChoices):
        SAME_DAY = "same_day", "Same-day medical referral made"
        GP = "gp", "Referred to the GP (routine)"
        SAFE = "safe", "Discussed; safe to treat, monitor"
        OTHER = "other", "Other (see notes)"

    intake = models.OneToOneField(Intake, on_delete=models.PROTECT, related_name="red_flag_review")
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
        ]

    def __str__(self):
        return f"Red flags reviewed: {self.get_action_display().lower()}"

    @property
    def audit_patient_uuid(self):
        return self.intake.patient.uuid
