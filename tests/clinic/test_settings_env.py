"""Settings come from the environment, and a malformed value stops start-up, naming it."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from clinic.env import env_bool, env_choice, env_int, env_list, env_url_list

PROJECT_ROOT = Path(__file__).resolve().parents[2]
START = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='clinic.settings'; django.setup(); "
    "from django.conf import settings as s; print(s.DEBUG, s.DATABASES['default']['ENGINE'])"
)
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-production-secret-" + "k" * 40,
    "DJANGO_ALLOWED_HOSTS": "clinic.example.org",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://clinic.example.org",
    "DATABASE_URL": "postgres://clinic:secret@db.internal:5432/clinic",
    "DJANGO_SESSION_IDLE_MINUTES": "20",
    "DJANGO_PROXY_COUNT": "1",
    "DJANGO_LOG_LEVEL": "WARNING",
}


def start(**variables):
    """Start Django with the clinic's real settings and only these environment variables."""
    return subprocess.run(
        [sys.executable, "-c", START],
        cwd=PROJECT_ROOT,
        env={name: value for name, value in variables.items() if value is not None},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("TRUE", True), (" yes ", True), ("on", True), ("0", False), ("off", False)],
)
def test_env_bool_reads_the_usual_words(value, expected):
    assert env_bool("FLAG", not expected, environ={"FLAG": value}) is expected


def test_env_bool_falls_back_to_the_default_when_unset():
    assert env_bool("FLAG", True, environ={}) is True


@pytest.mark.parametrize("value", ["maybe", "2", "truthy"])
def test_env_bool_refuses_other_words_naming_the_variable(value):
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG", environ={"FLAG": value})


def test_env_int_reads_a_number_within_its_bounds():
    assert env_int("N", 7, minimum=1, maximum=10, environ={"N": " 10 "}) == 10
    assert env_int("N", 7, environ={"N": ""}) == 7


@pytest.mark.parametrize("value", ["abc", "1.5", "0", "11"])
def test_env_int_refuses_non_numbers_and_out_of_range_values(value):
    with pytest.raises(ImproperlyConfigured, match="^N must"):
        env_int("N", 5, minimum=1, maximum=10, environ={"N": value})


def test_env_list_splits_on_commas_and_trims():
    assert env_list("HOSTS", environ={"HOSTS": "a.org, b.org"}) == ["a.org", "b.org"]
    assert env_list("HOSTS", ["x"], environ={}) == ["x"]


def test_env_list_refuses_a_stray_comma():
    with pytest.raises(ImproperlyConfigured, match="HOSTS"):
        env_list("HOSTS", environ={"HOSTS": "a.org,,b.org"})


def test_env_url_list_accepts_origins_with_a_scheme():
    value = "https://clinic.example.org,http://localhost:8000"
    assert env_url_list("ORIGINS", environ={"ORIGINS": value}) == value.split(",")


@pytest.mark.parametrize("value", ["clinic.example.org", "https://a.org,b.org", "ftp://a.org"])
def test_env_url_list_refuses_an_origin_without_http_scheme(value):
    with pytest.raises(ImproperlyConfigured, match="ORIGINS"):
        env_url_list("ORIGINS", environ={"ORIGINS": value})


def test_env_choice_accepts_a_listed_value_and_refuses_others():
    assert env_choice("LEVEL", "INFO", ["INFO", "DEBUG"], environ={"LEVEL": "DEBUG"}) == "DEBUG"
    with pytest.raises(ImproperlyConfigured, match="LEVEL"):
        env_choice("LEVEL", "INFO", ["INFO", "DEBUG"], environ={"LEVEL": "debug"})


@pytest.mark.parametrize(
    ("bad", "named"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY"),
        ({"DATABASE_URL": "nonsense://x"}, "DATABASE_URL"),
        ({"DJANGO_SESSION_IDLE_MINUTES": "abc"}, "DJANGO_SESSION_IDLE_MINUTES"),
        ({"DJANGO_CSRF_TRUSTED_ORIGINS": "clinic.example.org"}, "DJANGO_CSRF_TRUSTED_ORIGINS"),
    ],
)
def test_start_up_fails_naming_a_malformed_variable(bad, named):
    result = start(**{**PRODUCTION, **bad})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert named in result.stderr.strip().splitlines()[-1]


def test_start_up_succeeds_with_good_production_values():
    result = start(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "django.db.backends.postgresql"]


def test_sessions_end_after_thirty_idle_minutes_by_default():
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_logins_lock_after_five_failures_for_fifteen_minutes_by_default():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
