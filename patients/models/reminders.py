"""Check-in reminders: one row for each reminder sent, at most one for a patient's due date.

A patient's check-ins fall due every CADENCE_DAYS of their cadence, counted from their last
check-in (or, before the first, from the start of their course). A reminder is answered
when a check-in arrives after it; after REMINDERS_STOP_AFTER unanswered reminders in a row
no more go until a practitioner restarts them (Patient.reminders_restarted_at). The state
each patient is in comes from PatientQuerySet.with_reminder_state(); the job that sends
them is patients.reminders.
"""

from datetime import timedelta
from types import SimpleNamespace

from django.db import models
from django.db.models import Max, Q
from django.utils import timezone

from patients.models.links import PatientLink
from patients.models.records import CADENCE_DAYS, EPOCH, REMINDERS_STOP_AFTER, Patient

# How many of a patient's latest reminders reminder_state() reads to count the unanswered.
RECENT_REMINDERS = 20


def next_due_on(cadence, since):
    """The first day a check-in is due after one on `since` (None: no cadence)."""
    days = CADENCE_DAYS.get(cadence)
    return since + timedelta(days=days) if days and since else None


def reminder_due_on(cadence, since, today, last_reminded_on=None):
    """The due date a reminder sent `today` is for, or None if none is due: the latest due
    date (since + n cadences, n >= 1) on or before today, if no reminder went for it yet.
    A patient weeks behind gets one reminder, for the latest due date, not one a day for
    each date missed."""
    days = CADENCE_DAYS.get(cadence)
    if not days or since is None:
        return None
    cycles = (today - since).days // days
    if cycles < 1:
        return None
    due_on = since + timedelta(days=cycles * days)
    if last_reminded_on is not None and last_reminded_on >= due_on:
        return None
    return due_on


class Reminder(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField(help_text="The check-in due date this reminder is for.")
    channel = models.CharField(max_length=8, choices=Patient.Channel)
    # The check-in link it carried, made for it; its email_status is the email's.
    link = models.OneToOneField(
        "patients.PatientLink", null=True, on_delete=models.SET_NULL, related_name="reminder"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["patient", "-sent_at"], name="reminder_latest")]
        constraints = [
            models.UniqueConstraint(fields=["patient", "due_on"], name="reminder_once_a_due_date"),
            models.CheckConstraint(
                condition=Q(channel__in=["email"]), name="reminder_channel_valid"
            ),
        ]

    def __str__(self):
        return f"Check-in reminder for {self.due_on}"

    @property
    def audit_patient_uuid(self):
        return self.patient.uuid


def reminder_state(patient):
    """PatientQuerySet.with_reminder_state()'s answers for one patient (last_checkin_at,
    unanswered, counting_from) and the last reminder's time and email state, from two
    plain queries: the patient page's. With the patient and its summary already loaded,
    they take about half the time of that query for one patient, most of which is Django
    compiling its correlated subqueries (1.2-1.6 ms against 2.4 at 10,000 patients,
    docs/performance.md); tests/patients/test_reminders.py checks the two agree.

    The unanswered ones are counted among the latest RECENT_REMINDERS: reminders stop
    after REMINDERS_STOP_AFTER unanswered, so more are there only when emails failed, and
    then they are counted in the database.
    """
    checkins = patient.checkins.aggregate(on=Max("taken_on"), at=Max("updated_at"))
    reminders = Reminder.objects.filter(patient=patient)
    answered_since = max(checkins["at"] or EPOCH, patient.reminders_restarted_at or EPOCH)
    recent = list(
        reminders.order_by("-sent_at", "-id").values_list("sent_at", "link__email_status")[
            :RECENT_REMINDERS
        ]
    )
    if len(recent) < RECENT_REMINDERS or recent[-1][0] <= answered_since:
        unanswered = sum(
            1
            for sent_at, email in recent
            if sent_at > answered_since and email != PatientLink.Email.FAILED
        )
    else:  # unanswered ones may go back further than these
        unanswered = (
            reminders.filter(sent_at__gt=answered_since)
            .exclude(link__email_status=PatientLink.Email.FAILED)
            .count()
        )
    last_sent_at, last_email = recent[0] if recent else (None, None)
    summary = getattr(patient, "summary", None)
    course_started_on = summary.course_started_on if summary else None
    return SimpleNamespace(
        last_checkin_at=checkins["at"],
        unanswered=unanswered,
        counting_from=checkins["on"] or course_started_on or timezone.localdate(patient.created_at),
        last_sent_at=last_sent_at,
        last_email=last_email,
    )


def reminder_status(patient):
    """What the patient page says of `patient`'s reminders: the last one (when it went, its
    email's state, whether a check-in answered it), the next due date, whether they are
    stopped, and why none go."""
    state = reminder_state(patient)
    last = None
    if state.last_sent_at is not None:
        last = {
            "sent_at": state.last_sent_at,
            "email_failed": state.last_email == PatientLink.Email.FAILED,
            "answered": state.last_checkin_at is not None
            and state.last_checkin_at > state.last_sent_at,
        }
    stopped = state.unanswered >= REMINDERS_STOP_AFTER
    reasons = []
    if patient.status != Patient.Status.ACTIVE:
        reasons.append(f"the patient is {patient.get_status_display().lower()}")
    if patient.checkin_cadence == Patient.Cadence.NONE:
        reasons.append("no cadence is set")
    if not patient.reminder_consent:
        reasons.append("the patient has not agreed to reminders")
    if not patient.email:
        reasons.append("there is no email address")
    if stopped:
        reasons.append(f"{REMINDERS_STOP_AFTER} reminders in a row went unanswered")
    due_on = next_due_on(patient.checkin_cadence, state.counting_from)
    return {
        "last": last,
        "stopped": stopped,
        "next_due_on": due_on,
        "overdue": due_on is not None and due_on < timezone.localdate(),
        "not_sent_because": reasons,
    }
