"""Test settings: the real settings with a fast password hasher and plain static files."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-" + "x" * 40)
os.environ.setdefault("DJANGO_HTTPS", "false")

from clinic.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run in the request that queues them; the queue's own tests use the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Serve static files from the app folders, as runserver does: no collectstatic in tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Most tests log in with force_login; the two-step login has its own tests.
CLINIC_REQUIRE_2FA = False
# Tests make many requests from one address; the rate limit has its own test.
LINK_RATE_LIMIT_PER_MINUTE = 100_000
# Django's test runner empties every table with TRUNCATE on PostgreSQL (after a live-server
# or TransactionTestCase test), which the audit table refuses unless this session setting
# is on (clinic/migrations/0003). Only the tests turn it on.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        **DATABASES["default"].get("OPTIONS", {}),  # noqa: F405
        "options": "-c clinic.allow_audit_truncate=on",
    }
