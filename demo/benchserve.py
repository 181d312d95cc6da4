"""One checkout's side of `make bench-pair` (demo/benchpair.py), run in that checkout: it
answers each page name on its standard input with the milliseconds of one request, as
`manage.py bench` makes it (its pages, client, login and settings). It serves checkouts
older than itself, so it calls nothing of bench's but its pages, and writes out the rest.
"""

import os
import sys
import time

sys.path[0] = os.getcwd()  # the checkout's packages, not this script's folder
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from demo.management.commands.bench import Command  # noqa: E402
from demo.management.commands.seed_demo import is_demo_database  # noqa: E402
from patients.models import Patient  # noqa: E402


def main():
    if not is_demo_database():  # as bench: it writes notes and check-ins
        sys.exit(f"{os.getcwd()}: its database was not made by seed_demo")
    bench = Command()
    user = get_user_model().objects.filter(username="lin").first()
    patient = (
        Patient.objects.filter(
            status="active", treatment_sessions__isnull=False, intakes__status="accepted"
        )
        .order_by("pk")
        .first()
    )
    if user is None or patient is None:
        sys.exit(f"{os.getcwd()}: seed its database first (seed_demo)")
    # The patient, settings and login of bench's handle() and measure().
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(
        ROOT_URLCONF="demo.bench_urls",
        BENCH_APP_URLCONF=settings.ROOT_URLCONF,
        ALLOWED_HOSTS=["*"],
        LINK_RATE_LIMIT_PER_MINUTE=10**9,
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        STORAGES=plain_static,
    ):
        practitioner, phone = Client(), Client()
        practitioner.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="benchpair", confirmed=True)
        session = practitioner.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        try:
            pages = {name: page for name, *page in bench.pages(patient, user)}
            print("ready", flush=True)
            for line in sys.stdin:
                method, url, data = pages[line.strip()]
                client = phone if url.startswith("/p/") else practitioner
                payload = bench.session_payload(patient) if data == "session" else data
                start = time.perf_counter()
                response = getattr(client, method)(url, payload or {})
                elapsed = (time.perf_counter() - start) * 1000
                expected = 200 if method == "get" else 302
                if response.status_code != expected:
                    sys.exit(f"{line.strip()}: {url} answered {response.status_code}")
                print(f"{elapsed:.3f}", flush=True)
        finally:
            device.delete()


if __name__ == "__main__":
    main()
