"""The patients' email, through the task queue (django-tasks): a link to a patient."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django_tasks import task

from core.mail import retry_later, unseal
from patients.models import PatientLink

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


@task()
def email_link(link_id, sealed_url, attempt=1):
    """Email a link to its patient (its address sealed by core.mail.seal). If the mail
    server fails, try again later while attempts remain; after the last, the link is
    revoked and marked failed, which the patient's page and the admin show."""
    link = PatientLink.objects.select_related("patient").get(pk=link_id)
    if link.state != "active" or not link.patient.email:
        return f"not sent: the link is {link.state}" if link.patient.email else "no address"
    subject, body = link_email(link, unseal(sealed_url))
    try:
        send_mail(subject, body, None, [link.patient.email])
    except OSError:  # smtplib.SMTPException is one, as are refused and timed-out connections
        if retry_later(email_link, attempt, link_id, sealed_url):
            link.email_attempts = attempt
            link.save(update_fields=["email_attempts"])
            return "retrying"
        link.email_finished(sent=False, attempts=attempt)
        logger.error("Link %s could not be emailed after %d attempts.", link_id, attempt)
        raise
    link.email_finished(sent=True, attempts=attempt)
    return "sent"
