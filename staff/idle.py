"""Log a person out after SESSION_IDLE_MINUTES without a request, without writing the
session on every request: a logged-in session, and so its expiry, is renewed at most once
a minute. A session therefore ends between 29 and 30 idle minutes (by default)."""

import time

from django.contrib.auth import SESSION_KEY, user_logged_in
from django.dispatch import receiver

RENEW_AFTER_SECONDS = 60
RENEWED_AT = "_renewed_at"


class RenewIdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(RENEWED_AT, 0) >= RENEW_AFTER_SECONDS:
                session[RENEWED_AT] = now  # modified: SessionMiddleware saves it
        return response


@receiver(user_logged_in)
def start_the_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED_AT] = int(time.time())
