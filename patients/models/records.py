import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Lower, TruncDate
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from audit import trail
from core.constraints import CheckConstraintsInPython
from staff.roles import PRACTITIONERS

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{5,22}$",
    "Enter a phone number: digits, spaces, brackets and dashes, optionally starting with +.",
)


QUIET_DAYS = 14  # an active patient with no reading for this long is worth a call
# Check-in reminders (patients.reminders): days between check-ins for each cadence, and how
# many unanswered reminders in a row stop them until a practitioner restarts them.
CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "four_weekly": 28}
REMINDERS_STOP_AFTER = 3
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Responders: at least 30 % better than baseline (IMMPACT, Dworkin et al. J Pain 2008),
# counted among patients with at least 4 sessions.
RESPONDER_MIN_SESSIONS = 4
RESPONDER_SHARE = Decimal("0.7")

# Conditions on a patient's summary (patients.models.summary), for the dashboard's numbers
# and the lists behind them; `via` is the path to the summary ("" from the summary itself).


def evaluable(via="summary__"):
    return Q(
        **{
            f"{via}sessions__gte": RESPONDER_MIN_SESSIONS,
            f"{via}baseline_pain__gt": 0,
            f"{via}latest_pain__isnull": False,
        }
    )


def responding(via="summary__"):
    return evaluable(via) & Q(
        **{f"{via}latest_pain__lte": F(f"{via}baseline_pain") * RESPONDER_SHARE}
    )


def quiet_since(today, via="summary__"):
    """No reading in the last QUIET_DAYS days (or none at all)."""
    since = today - timedelta(days=QUIET_DAYS)
    return Q(**{f"{via}last_reading_on__lt": since}) | Q(**{f"{via}last_reading_on__isnull": True})


class PatientQuerySet(models.QuerySet):
    # LOCK ORDER. Every write transaction that touches one patient's rows takes its row
    # locks in this order, and only in this order, so two of them can never wait on each
    # other in a circle (a deadlock):
    #   1. the patient's row, first of all, with Patient.objects.lock(pk);
    #   2. the record being written: the treatment note (TreatmentSession.objects.locked),
    #      the intake, the check-in of the day;
    #   3. the patient's summary, then their phase changes' end dates
    #      (PatientSummary.objects.refresh);
    #   4. the patient's open phase suggestion (patients.progress.refresh_suggestion).
    # Rows of other tables that reference the patient (readings, notes, check-ins) lock it
    # in KEY SHARE mode as they are inserted; lock 1 is FOR NO KEY UPDATE, which lets those
    # inserts through but queues every other writer of the same patient behind it.
    def lock(self, pk):
        """Take lock 1 for patient `pk` (inside a transaction); returns nothing."""
        list(self.select_for_update(no_key=True).filter(pk=pk).values_list("pk", flat=True))

    def for_list(self):
        return self.select_related("practitioner__practitioner_profile", "summary").order_by(
            "family_name", "given_name", "id"
        )

    def with_last_visit(self):
        """Each patient's last treatment session's start, as last_visit (a correlated
        subquery on the session table's patient-and-date index)."""
        sessions = apps.get_model("treatment_sessions", "TreatmentSession").objects
        last = sessions.filter(patient=OuterRef("pk")).order_by("-started_at")
        return self.annotate(last_visit=Subquery(last.values("started_at")[:1]))

    def with_reminder_state(self):
        """What the check-in reminder rules need (patients.models.reminders), in the same
        query: correlated subqueries on the check-in and reminder tables' patient indexes.
        A reminder is answered by a check-in saved after it; `unanswered` counts those
        since the last check-in or restart (not those whose email failed)."""
        checkins = apps.get_model("patients", "CheckIn").objects.filter(patient=OuterRef("pk"))
        reminders = apps.get_model("patients", "Reminder").objects.filter(patient=OuterRef("pk"))
        unanswered = (
            reminders.filter(sent_at__gt=OuterRef("answered_since"))
            .exclude(link__email_status="failed")
            .values("patient")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(
            last_checkin_on=Subquery(checkins.order_by("-taken_on").values("taken_on")[:1]),
            last_checkin_at=Subquery(checkins.order_by("-updated_at").values("updated_at")[:1]),
            answered_since=Greatest(
                Coalesce("last_checkin_at", Value(EPOCH)),
                Coalesce("reminders_restarted_at", Value(EPOCH)),
            ),
            unanswered=Coalesce(Subquery(unanswered), 0),
            last_reminded_on=Subquery(reminders.order_by("-due_on").values("due_on")[:1]),
            # Before the first check-in, check-ins count from the start of the course.
            counting_from=Coalesce(
                "last_checkin_on", "summary__course_started_on", TruncDate("created_at")
            ),
        )

    def may_be_reminded(self):
        """Active, agreed, with a cadence and an address, not stopped by unanswered ones."""
        return (
            self.filter(status="active", reminder_consent=True, reminder_channel="email")
            .exclude(checkin_cadence="none")
            .exclude(email="")
            .with_reminder_state()
            .filter(unanswered__lt=REMINDERS_STOP_AFTER)
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

    def needing(self, need, today=None):
        """The patients behind a dashboard number: 'suggestion', 'quiet' (active, no reading
        in 14 days), 'red_flags' (unreviewed), 'evaluable' and 'responder'."""
        today = today or timezone.localdate()
        if need == "suggestion":
            return self.filter(phase_suggestions__status="open")
        if need == "red_flags":
            return (
                self.filter(intakes__has_red_flags=True, intakes__red_flag_review__isnull=True)
                .exclude(intakes__status="started")
                .distinct()
            )
        if need == "evaluable":
            return self.filter(evaluable())
        if need == "responder":
            return self.filter(responding())
        if need == "quiet":
            return self.filter(Q(status="active") & quiet_since(today))
        raise ValueError(need)


class Limb(models.TextChoices):
    """A limb with lymphoedema: its side and which limb (CLINICAL.md section 4)."""

    LEFT_ARM = "left_arm", "Left arm"
    RIGHT_ARM = "right_arm", "Right arm"
    BOTH_ARMS = "both_arms", "Both arms"
    LEFT_LEG = "left_leg", "Left leg"
    RIGHT_LEG = "right_leg", "Right leg"
    BOTH_LEGS = "both_legs", "Both legs"

    @property
    def limb(self):
        """Which limb: "arm" or "leg"."""
        return "arm" if self.value.endswith(("arm", "arms")) else "leg"

    @property
    def side(self):
        """The side as a needled point's side is written: "L", "R" or "B" (both)."""
        return {"left": "L", "right": "R", "both": "B"}[self.value.split("_")[0]]


class Patient(CheckConstraintsInPython, models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        INTAKE_SUBMITTED = "intake_submitted", "Intake submitted"
        ACTIVE = "active", "Active"
        DISCHARGED = "discharged", "Discharged"
        ARCHIVED = "archived", "Archived"

    class Cadence(models.TextChoices):
        """How often a check-in reminder goes (patients.reminders); days in CADENCE_DAYS."""

        WEEKLY = "weekly", "Weekly"
        FORTNIGHTLY = "fortnightly", "Every two weeks"
        FOUR_WEEKLY = "four_weekly", "Every four weeks"
        NONE = "none", "No reminders"

    class Channel(models.TextChoices):
        """How a reminder reaches the patient: email for now (SMS would be a new choice)."""

        EMAIL = "email", "Email"

    class Sex(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        INTERSEX = "intersex", "Intersex"
        NOT_STATED = "not_stated", "Prefer not to say"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    # Unknown only until an invited patient's intake is accepted.
    date_of_birth = models.DateField(null=True, blank=True)
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

    # Safety flags (CLINICAL.md section 4): practitioners edit them; intake fills them later.
    pregnant = models.BooleanField(default=False)
    pregnancy_due_date = models.DateField(null=True, blank=True)
    pregnancy_trimester = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(1, "First"), (2, "Second"), (3, "Third")]
    )
    anticoagulants = models.BooleanField(
        "takes anticoagulant or antiplatelet medicine", default=False
    )
    bleeding_disorder = models.BooleanField(default=False)
    implanted_device = models.BooleanField(
        "pacemaker or other implanted electrical device", default=False
    )
    epilepsy = models.BooleanField(default=False)
    needle_fear = models.BooleanField("needle fear or history of fainting", default=False)
    metal_allergy = models.BooleanField("metal (nickel) allergy", default=False)
    diabetes_or_neuropathy = models.BooleanField("diabetes or peripheral neuropathy", default=False)
    immunosuppressed = models.BooleanField("immunosuppression", default=False)
    skin_infection = models.BooleanField("skin infection or broken skin at a site", default=False)
    lymphoedema_limb = models.CharField(
        "lymphoedema (affected limb)", max_length=10, choices=Limb, blank=True
    )
    safety_notes = models.TextField("other safety notes", blank=True)

    # Check-in reminders (patients.reminders): consent from the intake's consent step.
    checkin_cadence = models.CharField(
        "check-in reminders", max_length=12, choices=Cadence, default=Cadence.WEEKLY
    )
    reminder_channel = models.CharField(
        "reminders by", max_length=8, choices=Channel, default=Channel.EMAIL
    )
    reminder_consent = models.BooleanField("agrees to check-in reminders", default=False)
    # A practitioner's "Restart reminders": unanswered reminders before it no longer count.
    reminders_restarted_at = models.DateTimeField(null=True, blank=True)
    # The patient turned reminders off from an email's link (consent is withdrawn then).
    reminders_unsubscribed_at = models.DateTimeField(null=True, blank=True)

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
                condition=Q(date_of_birth__isnull=False)
                | Q(status__in=["invited", "intake_submitted", "archived"]),
                name="patient_dob_known_once_in_care",
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
            models.CheckConstraint(
                condition=Q(pregnant=True)
                | Q(pregnancy_due_date__isnull=True, pregnancy_trimester__isnull=True),
                name="patient_pregnancy_details_only_if_pregnant",
            ),
            models.CheckConstraint(
                condition=Q(pregnancy_trimester__isnull=True)
                | Q(pregnancy_trimester__gte=1, pregnancy_trimester__lte=3),
                name="patient_trimester_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    lymphoedema_limb__in=[
                        "",
                        "left_arm",
                        "right_arm",
                        "both_arms",
                        "left_leg",
                        "right_leg",
                        "both_legs",
                    ]
                ),
                name="patient_lymphoedema_limb_valid",
            ),
            models.CheckConstraint(
                condition=Q(checkin_cadence__in=["weekly", "fortnightly", "four_weekly", "none"]),
                name="patient_checkin_cadence_valid",
            ),
            models.CheckConstraint(
                condition=Q(reminder_channel__in=["email"]), name="patient_reminder_channel_valid"
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
        return reverse("patients:detail", kwargs={"patient_uuid": self.uuid})

    @property
    def audit_patient_uuid(self):
        return self.uuid

    @property
    def full_name(self):
        return f"{self.given_name} {self.family_name}"

    def age(self, today=None):
        if self.date_of_birth is None:
            return None
        today = today or timezone.localdate()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def is_archived(self):
        return self.status == self.Status.ARCHIVED

    # The record's field groups, for the forms, the intake and the note to share.
    CONTACT_FIELDS = ["email", "phone", "emergency_contact_name", "emergency_contact_phone"]
    CONDITION_FLAGS = [  # the yes/no safety flags; pregnancy has a date and a trimester too
        "anticoagulants", "bleeding_disorder", "implanted_device", "epilepsy", "needle_fear",
        "metal_allergy", "diabetes_or_neuropathy", "immunosuppressed", "skin_infection",
    ]  # fmt: skip
    SAFETY_FLAGS = ["pregnant", *CONDITION_FLAGS]

    @property
    def safety_flags(self):
        """Labels of the safety flags that are set, for the patient header and the note."""
        labels = []
        for name in self.SAFETY_FLAGS:
            if getattr(self, name):
                labels.append(self._meta.get_field(name).verbose_name)
        if self.pregnant and self.pregnancy_trimester:
            labels[0] = f"pregnant ({self.get_pregnancy_trimester_display().lower()} trimester)"
        elif self.pregnant and self.pregnancy_due_date:
            labels[0] = f"pregnant (due {self.pregnancy_due_date:%-d %b %Y})"
        if self.lymphoedema_limb:
            labels.append(f"lymphoedema: {self.get_lymphoedema_limb_display().lower()}")
        return labels

    def archive(self):
        self.status = self.Status.ARCHIVED
        self.save(update_fields=["status", "updated_at"])

    def restore(self):
        """Return an archived patient to the status it had before it was archived."""
        earlier = self.history.exclude(status=self.Status.ARCHIVED).first()
        self.status = earlier.status if earlier else self.Status.ACTIVE
        self.save(update_fields=["status", "updated_at"])


trail.track(Patient)
