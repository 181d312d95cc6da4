"""Check-in reminders: `python manage.py send_checkin_reminders`, which the periodic job
"checkin-reminders" (settings.PERIODIC_JOBS, `manage.py run_jobs`) runs every hour.

The rules are patients.models.reminders'. The due patients are found in one query; each
reminder is then its own transaction: the patient's row lock (lock 1 of the lock order,
PatientQuerySet.lock), the rules asked again inside it (of two runs that meet, the second
finds the first's reminder there), a fresh check-in link and the Reminder row, whose
unique (patient, due date) refuses a second one whatever got past the lock. Links are
stored only as a hash, so a reminder cannot carry one sent earlier: it gets its own 90-day
check-in link, emailed by the task queue (patients.tasks.email_reminder)
with its address sealed, which records on the link whether the email went or failed.

The unsubscribe address carries the patient's id and its signature with SECRET_KEY and
its own salt (django.core.signing.Signer): unguessable, needing no table, and no use for
anything else."""

import re
import uuid

from django.conf import settings
from django.core.signing import Signer
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from core.mail import seal
from patients.models import Patient, PatientLink, Reminder
from patients.models.reminders import reminder_due_on
from patients.tasks import email_reminder

UNSUBSCRIBE_SALT = "patients.reminders.unsubscribe"


def send_due_reminders(now=None):
    """Send every reminder due today; the job's outcome in words. None before the hour of
    settings.CHECKIN_REMINDERS_FROM_HOUR (local time): no reminder at midnight."""
    now = timezone.localtime(now)
    if now.hour < settings.CHECKIN_REMINDERS_FROM_HOUR:
        return f"none sent before {settings.CHECKIN_REMINDERS_FROM_HOUR}:00"
    today = now.date()
    due = [
        (patient, due_on)
        for patient in Patient.objects.may_be_reminded().order_by("pk")
        if (due_on := due_date(patient, today))
    ]
    sent = sum(send_reminder(patient, due_on, today) for patient, due_on in due)
    return f"{sent} reminder{'s' if sent != 1 else ''} sent, {len(due)} due"


def due_date(patient, today):
    """The due date a reminder today would be for (`patient` from may_be_reminded())."""
    return reminder_due_on(
        patient.checkin_cadence, patient.counting_from, today, patient.last_reminded_on
    )


def send_reminder(patient, due_on, today):
    """Send `patient` the reminder for `due_on`; False if it is no longer to be sent (a
    check-in, a discharge or an unsubscribe since the selection, or another run's) and
    nothing was written."""
    try:
        with transaction.atomic():
            Patient.objects.lock(patient.pk)
            now = Patient.objects.may_be_reminded().filter(pk=patient.pk).first()
            if now is None or due_date(now, today) != due_on:
                return False
            link, token = PatientLink.issue(patient, PatientLink.Purpose.CHECKIN)
            link.email_status = PatientLink.Email.QUEUED
            link.save(update_fields=["email_status"])
            reminder = Reminder.objects.create(
                patient=patient, due_on=due_on, channel=patient.reminder_channel, link=link
            )
            url = settings.CLINIC_BASE_URL + reverse("checkin", kwargs={"token": token})
            stop_url = settings.CLINIC_BASE_URL + unsubscribe_path(patient)
            transaction.on_commit(
                lambda: email_reminder.enqueue(reminder.pk, seal(url), seal(stop_url))
            )
    except IntegrityError:  # this due date's reminder is another's (the database's guard)
        return False
    return True


def unsubscribe_token(patient):
    """The patient's id and its signature (django.core.signing, with the salt), all in
    the URL-safe characters that clinic.logfilters cuts out of a logged path."""
    return patient.uuid.hex + Signer(salt=UNSUBSCRIBE_SALT).signature(patient.uuid.hex)


def unsubscribe_path(patient):
    return reverse("reminders_unsubscribe", kwargs={"token": unsubscribe_token(patient)})


def patient_to_unsubscribe(token):
    """The patient an unsubscribe token was made for, or None (altered, or no such one)."""
    patient_hex, signature = token[:32], token[32:]
    if len(token) > 100 or not re.fullmatch(r"[0-9a-f]{32}", patient_hex):
        return None
    expected = Signer(salt=UNSUBSCRIBE_SALT).signature(patient_hex)
    if not constant_time_compare(signature, expected):
        return None
    return Patient.objects.filter(uuid=uuid.UUID(hex=patient_hex)).first()


@transaction.atomic
def unsubscribe(patient):
    """The patient turns reminders off (withdraws their consent); audited by the save."""
    Patient.objects.lock(patient.pk)
    patient.reminder_consent = False
    patient.reminders_unsubscribed_at = timezone.now()
    patient.save(update_fields=["reminder_consent", "reminders_unsubscribed_at", "updated_at"])


@transaction.atomic
def restart(patient):
    """A practitioner restarts stopped reminders: earlier unanswered ones no longer count."""
    Patient.objects.lock(patient.pk)
    patient.reminders_restarted_at = timezone.now()
    patient.save(update_fields=["reminders_restarted_at", "updated_at"])
