import uuid
from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinic import audit
from clinic.roles import PRACTITIONERS

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{5,22}$",
    "Enter a phone number: digits, spaces, brackets and dashes, optionally starting with +.",
)


class PatientQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("practitioner__practitioner_profile").order_by(
            "family_name", "given_name", "id"
        )

    def search(self, text):
        """Every word must match a name, the email or the phone number."""
        queryset = self
        for word in text.split():
            digits = "".join(ch for ch in word if ch.isdigit())
            match = (
                Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
                | Q(email__icontains=word)
            )
            if len(digits) >= 3:
                match |= Q(phone__contains=digits) | Q(phone__icontains=word)
            queryset = queryset.filter(match)
        return queryset

    def counts_by_status(self):
        rows = self.values("status").annotate(n=Count("id")).order_by()
        counts = {row["status"]: row["n"] for row in rows}
        return [(status, counts.get(status.value, 0)) for status in Patient.Status]


class Patient(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        INTAKE_SUBMITTED = "intake_submitted", "Intake submitted"
        ACTIVE = "active", "Active"
        DISCHARGED = "discharged", "Discharged"
        ARCHIVED = "archived", "Archived"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        INTERSEX = "intersex", "Intersex"
        NOT_STATED = "not_stated", "Prefer not to say"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=12, choices=Sex, default=Sex.NOT_STATED)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True, validators=[phone_validator])
    emergency_contact_name = models.CharField(max_length=200, blank=True)
    emergency_contact_phone = models.CharField(
        max_length=30, blank=True, validators=[phone_validator]
    )
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="patients",
        verbose_name="assigned practitioner",
        limit_choices_to={"groups__name": PRACTITIONERS, "is_active": True},
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(fields=["family_name", "given_name"], name="patient_name"),
            models.Index(fields=["status"], name="patient_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(given_name="") & ~Q(family_name=""), name="patient_names_set"
            ),
            models.CheckConstraint(
                condition=Q(date_of_birth__gte=date(1900, 1, 1)), name="patient_dob_after_1900"
            ),
            models.CheckConstraint(
                condition=Q(sex__in=["female", "male", "intersex", "not_stated"]),
                name="patient_sex_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["invited", "intake_submitted", "active", "discharged", "archived"]
                ),
                name="patient_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(email="") | Q(email__contains="@"), name="patient_email_shape"
            ),
            models.UniqueConstraint(
                Lower("given_name"),
                Lower("family_name"),
                "date_of_birth",
                name="patient_unique_name_dob",
                violation_error_message=(
                    "A patient with this name and date of birth is already registered."
                ),
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("patients:detail", kwargs={"patient": self.uuid})

    @property
    def audit_patient_uuid(self):
        return self.uuid

    @property
    def full_name(self):
        return f"{self.given_name} {self.family_name}"

    def age(self, today=None):
        today = today or timezone.localdate()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def is_archived(self):
        return self.status == self.Status.ARCHIVED

    def archive(self):
        self.status = self.Status.ARCHIVED
        self.save(update_fields=["status", "updated_at"])

    def restore(self):
        """Return an archived patient to the status it had before it was archived."""
        earlier = self.history.exclude(status=self.Status.ARCHIVED).first()
        self.status = earlier.status if earlier else self.Status.ACTIVE
        self.save(update_fields=["status", "updated_at"])


audit.track(Patient)
