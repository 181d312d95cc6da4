"""Email out of the request: a task (core.tasks.send_email, patients.tasks.email_link)
sends it, so a slow or failing mail server never stalls a page, and tries again later
when the queue can (the database backend), up to settings.EMAIL_RETRY_DELAYS.

What a task is given waits in the queue's table until a worker runs it. A link or a
password-reset address in it would be a working key at rest, so it goes in sealed
(Fernet: AES with an HMAC, from the `cryptography` library) with a key derived from
SECRET_KEY: the table alone gives nothing away."""

import base64
import hashlib
from datetime import timedelta

from cryptography.fernet import Fernet
from django.conf import settings
from django.utils import timezone


def _fernet():
    digest = hashlib.sha256(f"clinic.mail:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(text):
    return _fernet().encrypt(text.encode()).decode()


def unseal(sealed):
    return _fernet().decrypt(sealed.encode()).decode()


def retry_later(task, attempt, *args):
    """Queue `task(*args, attempt=attempt + 1)` after this attempt's delay; False if that
    was the last attempt, or if the backend runs tasks at once (no one to try later)."""
    delays = settings.EMAIL_RETRY_DELAYS
    if attempt > len(delays) or not task.get_backend().supports_defer:
        return False
    later = timezone.now() + timedelta(seconds=delays[attempt - 1])
    task.using(run_after=later).enqueue(*args, attempt=attempt + 1)
    return True
