"""Settings for the clinic app, read from the environment (see README, "Configuration")."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from clinic.env import env_bool, env_choice, env_int, env_list, env_str, env_url_list

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug-mode-never-in-production"

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_url_list("DJANGO_CSRF_TRUSTED_ORIGINS")

CLINIC_NAME = env_str("CLINIC_NAME", "Acupuncture Clinic")
# The letterhead of the progress report (patients/views/report.py); blank ones are left out.
CLINIC_ADDRESS = env_str("CLINIC_ADDRESS")
CLINIC_PHONE = env_str("CLINIC_PHONE")
CLINIC_EMAIL = env_str("CLINIC_EMAIL")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for FORM_RENDERER
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "audit",
    "staff",
    "patients",
    "sessions.apps.TreatmentSessionsConfig",
    "dashboard",
    "jobs",
    "demo",
    "ops",
    "clinic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After whitenoise, so that static files keep their long cache headers.
    "clinic.middleware.NeverCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "staff.idle.RenewIdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "staff.two_factor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.context_processors.clinic",
            ],
        },
    },
]

# Fields drawn with `{{ form.field.as_field_group }}`: templates/django/forms/field.html.
FORM_RENDERER = "clinic.renderers.FormRenderer"

try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
except ValueError as error:
    raise ImproperlyConfigured(f"DATABASE_URL is malformed: {error}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A long-lived connection buys SQLite nothing and keeps files locked.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache the link rate limit counts in. Unset, each server process has its own (local
# memory, Django's default), which is all `make run` needs; with several gunicorn workers set
# REDIS_URL, so that they share one count. "local" is always per process: the rate limit
# falls back to it while Redis is down (patients/ratelimit.py).
REDIS_URL = env_str("REDIS_URL")
LOCAL_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"}
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        # Not echoed: the URL may hold a password.
        raise ImproperlyConfigured("REDIS_URL must start with redis://, rediss:// or unix://")
    DEFAULT_CACHE = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "clinic",
        # A Redis that does not answer costs a request a quarter of a second, not forever.
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }
else:
    DEFAULT_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
CACHES = {"default": DEFAULT_CACHE, "local": LOCAL_CACHE}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "staff.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Staff log in with a password and a second step, a code from an authenticator app (or a
# recovery code): required outside debug mode (staff.two_factor).
CLINIC_REQUIRE_2FA = env_bool("CLINIC_REQUIRE_2FA", not DEBUG)
# The issuer the authenticator app shows beside the account.
OTP_TOTP_ISSUER = CLINIC_NAME

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login sessions end after this many idle minutes: requests renew the session, at most once
# a minute (staff.idle).
SESSION_IDLE_MINUTES = env_int("DJANGO_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Five failed logins lock that account from that address for 15 minutes (django-axes).
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a reverse proxy, the client address is the last one the proxy appended. One
# resolver gives it to the audit trail and to the login lockout alike.
PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0, minimum=0, maximum=5)
AXES_CLIENT_IP_CALLABLE = "audit.ip.client_ip"

LANGUAGE_CODE = "en-gb"
FORMAT_MODULE_PATH = ["clinic.formats"]
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: the console in development, SMTP otherwise.
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 587, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
# A mail server that does not answer fails the send after this long, not never.
EMAIL_TIMEOUT = env_int("DJANGO_EMAIL_TIMEOUT", 10, minimum=1, maximum=120)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "clinic@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG and not EMAIL_HOST
    else "django.core.mail.backends.smtp.EmailBackend"
)

# Email and other slow work run as tasks (django-tasks, the backport of Django 6's
# django.tasks). "database": a queue in the database, run by `manage.py db_worker` beside
# the web server, with retries (the default outside debug mode). "immediate": in the
# request that asks for it, one attempt (the default in debug mode, so that `make run`
# needs no worker).
TASKS_BACKEND = env_choice(
    "DJANGO_TASKS_BACKEND", "immediate" if DEBUG else "database", ["immediate", "database"]
)
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[TASKS_BACKEND]
    }
}
# An email that fails is tried again after each of these delays (seconds), then given up:
# its link is revoked and the practitioner sees it on the patient's page.
EMAIL_RETRY_DELAYS = [60, 300, 1800]
# Periodic jobs, run by `manage.py run_jobs` from cron every few minutes (jobs.schedule).
PERIODIC_JOBS = {
    "prune-task-results": {"run": "jobs.builtin.prune_task_results", "every_minutes": 24 * 60},
    # `manage.py send_checkin_reminders` (patients.reminders): hourly, from this local hour.
    "checkin-reminders": {"run": "patients.reminders.send_due_reminders", "every_minutes": 60},
}
CHECKIN_REMINDERS_FROM_HOUR = 9

# The parts /healthz and `manage.py health` check (ops/health.py): a name and a function
# that raises if the part fails. The queue is checked only when there is one (the database
# backend): it fails when a task ready to run has waited this many minutes for a worker.
HEALTH_CHECKS = {"database": "ops.health.database", "cache": "ops.health.cache"}
if TASKS_BACKEND == "database":
    HEALTH_CHECKS["queue"] = "ops.health.queue"
HEALTH_QUEUE_WAIT_MINUTES = 10

# HTTPS: on by default outside debug mode. Turn off only for a trial on a private network.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A health check from inside the container or a load balancer asks over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# The browser features no page uses are turned off, for the app and anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
}

# No inline scripts or styles anywhere: page data goes through json_script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Logs carry no patient data: no request bodies, and 4xx paths are not logged.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "filters": {
        "redact_tokens": {"()": "clinic.logfilters.RedactLinkTokens"},
        "redact_database_errors": {"()": "clinic.logfilters.RedactDatabaseErrors"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tokens", "redact_database_errors"],
        }
    },
    "root": {
        "handlers": ["console"],
        "level": env_choice(
            "DJANGO_LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
        ),
    },
    # Every Django logger goes through the one handler that cuts tokens out of paths and
    # the values out of database errors.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {
            "handlers": ["console"],
            "level": "INFO" if DEBUG else "WARNING",
            "propagate": False,
        },
        "axes": {"level": "WARNING"},
    },
}

# In debug mode static files come straight from the app folders (no collectstatic).
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# Links sent to patients (intake and check-ins) expire after this many days.
INTAKE_LINK_DAYS = env_int("CLINIC_INTAKE_LINK_DAYS", 14, minimum=1, maximum=90)
CHECKIN_LINK_DAYS = env_int("CLINIC_CHECKIN_LINK_DAYS", 90, minimum=1, maximum=365)
# The address patients' links start with, for links made outside a request
# (python manage.py invite_patient).
CLINIC_BASE_URL = env_url_list("CLINIC_BASE_URL", ["http://127.0.0.1:8000"])[0].rstrip("/")
# Requests a minute one address may make to the patient link pages.
LINK_RATE_LIMIT_PER_MINUTE = env_int("CLINIC_LINK_RATE_LIMIT", 60, minimum=1)

# Where `manage.py backup` writes its dumps and `restore_test` looks for the newest.
BACKUP_DIR = Path(env_str("CLINIC_BACKUP_DIR", str(BASE_DIR / "backups")))

# Phase-change suggestion thresholds (CLINICAL.md section 1; sources in patients/rules.py).
PHASE_RULES = {
    "calm_percent": env_int("CLINIC_RULE_CALM_PERCENT", 30, minimum=1, maximum=100),
    "calm_points": env_int("CLINIC_RULE_CALM_POINTS", 2, minimum=1, maximum=10),
    "confidence_level": env_int("CLINIC_RULE_CONFIDENCE_LEVEL", 7, minimum=0, maximum=10),
    "confidence_rise": env_int("CLINIC_RULE_CONFIDENCE_RISE", 2, minimum=1, maximum=10),
    "psfs_rise": env_int("CLINIC_RULE_PSFS_RISE", 2, minimum=1, maximum=10),
    "active_minutes": env_int("CLINIC_RULE_ACTIVE_MINUTES", 150, minimum=1, maximum=10080),
    "psfs_level": env_int("CLINIC_RULE_PSFS_LEVEL", 7, minimum=0, maximum=10),
    "flare_percent": env_int("CLINIC_RULE_FLARE_PERCENT", 10, minimum=0, maximum=100),
}

# The report's PDF (django-weasyprint): its static files are read from disk by the static
# files finders, not fetched over HTTP from this server.
WEASYPRINT_BASEURL = "/"
# WeasyPrint and fontTools log each step at INFO: noise, not news.
LOGGING["loggers"] |= {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}}
