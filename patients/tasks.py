"""The patients' email, through the task queue (django-tasks): a link to a patient, and a
check-in reminder (which carries a link of its own)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from core.mail import retry_later, unseal
from patients.models import PatientLink, Reminder

logger = logging.getLogger(__name__)


def link_email(link, url):
    """The subject and body of the email that carries `link` (its address `url`)."""
    days = round((link.expires_at - link.created_at).total_seconds() / 86400)
    context = {
        "patient": link.patient,
        "url": url,
        "days": days,
        "clinic_name": settings.CLINIC_NAME,
        "purpose": link.purpose,
    }
    subject = render_to_string("patients/email/link_subject.txt", context).strip()
    return subject, render_to_string("patients/email/link_body.txt", context)


def reminder_email(reminder, url, stop_url):
    """The subject and body of a check-in reminder: the clinic's name, the link, the way
    to stop them; nothing clinical (no scores, no phase)."""
    context = {
        "patient": reminder.patient,
        "url": url,
        "stop_url": stop_url,
        "clinic_name": settings.CLINIC_NAME,
    }
    subject = render_to_string("patients/email/reminder_subject.txt", context).strip()
    return subject, render_to_string("patients/email/reminder_body.txt", context)


def deliver(link, subject, body, again, attempt, *args):
    """Send the email that carries `link`. If the mail server fails, queue `again(*args)`
    for later while attempts remain; after the last, the link is revoked and marked
    failed, which the patient's page and the admin show."""
    try:
        send_mail(subject, body, None, [link.patient.email])
    except OSError:  # smtplib.SMTPException is one, as are refused and timed-out connections
        if retry_later(again, attempt, *args):
            link.email_attempts = attempt
            link.save(update_fields=["email_attempts"])
            return "retrying"
        link.email_finished(sent=False, attempts=attempt)
        logger.error("Link %s could not be emailed after %d attempts.", link.pk, attempt)
        raise
    link.email_finished(sent=True, attempts=attempt)
    return "sent"


@task()
def email_link(link_id, sealed_url, attempt=1):
    """Email a link to its patient (its address sealed by core.mail.seal)."""
    link = PatientLink.objects.select_related("patient").get(pk=link_id)
    if link.state != "active" or not link.patient.email:
        return f"not sent: the link is {link.state}" if link.patient.email else "no address"
    subject, body = link_email(link, unseal(sealed_url))
    return deliver(link, subject, body, email_link, attempt, link_id, sealed_url)


@task()
def email_reminder(reminder_id, sealed_url, sealed_stop_url, attempt=1):
    """Email a check-in reminder with its link and its unsubscribe address (both sealed).
    Its email's state is its link's (PatientLink.email_status)."""
    reminder = Reminder.objects.select_related("patient", "link").get(pk=reminder_id)
    link = reminder.link
    if link is None or link.state != "active" or not reminder.patient.email:
        return "not sent: no working link or no address"
    link.patient = reminder.patient
    subject, body = reminder_email(reminder, unseal(sealed_url), unseal(sealed_stop_url))
    args = (reminder_id, sealed_url, sealed_stop_url)
    return deliver(link, subject, body, email_reminder, attempt, *args)
