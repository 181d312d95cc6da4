"""Tasks any app may queue (django-tasks): an email."""

import logging

from django.core.mail import send_mail
from django_tasks import task

from core.mail import retry_later, unseal

logger = logging.getLogger(__name__)


@task()
def send_email(sealed_to, subject, sealed_body, attempt=1):
    """Send one email (its address and body sealed by core.mail.seal), trying again later
    if the mail server fails; the last failure is logged (without the address) and raised,
    so the task's result records it."""
    try:
        send_mail(subject, unseal(sealed_body), None, [unseal(sealed_to)])
    except OSError:  # smtplib.SMTPException is one, as are refused and timed-out connections
        if retry_later(send_email, attempt, sealed_to, subject, sealed_body):
            return "retrying"
        logger.error("An email could not be sent after %d attempts.", attempt)
        raise
    return "sent"
