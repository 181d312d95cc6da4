"""Database errors reach the server log without the data they quote (a patient's name and
date of birth in a duplicate-key error, what was typed in a type error)."""

import datetime
import io
import logging

import pytest
from django.conf import settings
from django.db import DataError, IntegrityError, connection, transaction

from clinic.logfilters import RedactDatabaseErrors, redacted
from tests.factories import PatientFactory

DUPLICATE = (
    'duplicate key value violates unique constraint "patient_unique_name_dob"\n'
    "DETAIL:  Key (lower(given_name::text), lower(family_name::text), date_of_birth)="
    "(rosa, mendes, 1961-02-03) already exists."
)
ROSA = {"given_name": "Rosa", "family_name": "Mendes", "date_of_birth": datetime.date(1961, 2, 3)}
NUL_IN_JSON = '{"complaint": "back\\u0000pain"}'
BAD_NUMBER = "invalid input syntax for type integer: \"Mendes\"\nLINE 1: SELECT 'Mendes'::int"


@pytest.fixture
def server_log():
    """What the app's one log handler (settings.LOGGING) writes, as text."""
    handler = logging.getLogger("django.request").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def log_error(error, logger="django.request"):
    try:
        raise error
    except Exception:
        logging.getLogger(logger).exception("Internal Server Error: %s", "/patients/new/")


def test_the_apps_log_handler_uses_the_filter():
    assert "redact_database_errors" in settings.LOGGING["handlers"]["console"]["filters"]


def test_a_duplicate_key_error_is_logged_without_the_key(server_log):
    log_error(IntegrityError(DUPLICATE))
    text = server_log.getvalue()
    assert "Internal Server Error: /patients/new/" in text
    assert 'IntegrityError: duplicate key value violates unique constraint "patient_unique_' in text
    assert "Traceback" in text and "log_error" in text
    for value in ["rosa", "mendes", "1961-02-03", "DETAIL"]:
        assert value not in text


def test_a_value_quoted_in_the_first_line_is_cut(server_log):
    log_error(DataError(BAD_NUMBER))
    text = server_log.getvalue()
    assert 'invalid input syntax for type integer: "[value]"' in text
    assert "Mendes" not in text


def test_the_error_that_caused_it_is_redacted_too(server_log):
    try:
        try:
            raise ValueError(DUPLICATE)  # as psycopg's UniqueViolation, wrapped by Django
        except ValueError as cause:
            raise IntegrityError(DUPLICATE) from cause
    except IntegrityError as error:
        log_error(error)
    assert "mendes" not in server_log.getvalue()


def test_a_database_error_in_the_message_is_redacted(server_log):
    logging.getLogger("django").error("Saving failed: %s", IntegrityError(DUPLICATE))
    text = server_log.getvalue()
    assert "Saving failed: duplicate key value" in text
    assert "mendes" not in text


def test_other_errors_are_logged_as_they_are(server_log):
    log_error(ValueError("no such step: mendes"))
    assert "ValueError: no such step: mendes" in server_log.getvalue()


@pytest.mark.django_db
def test_a_real_duplicate_from_the_database_is_logged_without_the_patient(server_log):
    PatientFactory(**ROSA)
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        PatientFactory(**ROSA)
    log_error(raised.value)
    text = server_log.getvalue()
    assert "IntegrityError" in text and "patient_unique_name_dob" in text
    for value in ["Rosa", "rosa", "Mendes", "mendes", "1961-02-03"]:
        assert value not in text


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JSON and NUL errors")
@pytest.mark.django_db
def test_postgresqls_json_error_is_logged_without_the_json(server_log):
    with pytest.raises(DataError) as raised, connection.cursor() as cursor:
        cursor.execute("SELECT %s::jsonb", [NUL_IN_JSON])
    assert "CONTEXT" in str(raised.value)  # PostgreSQL quotes the JSON there
    log_error(raised.value)
    text = server_log.getvalue()
    assert "unsupported Unicode escape sequence" in text
    assert "u0000pain" not in text and "complaint" not in text


@pytest.mark.parametrize(
    "message, logged",
    [
        (DUPLICATE, 'duplicate key value violates unique constraint "patient_unique_name_dob"'),
        (BAD_NUMBER, 'invalid input syntax for type integer: "[value]"'),
        ('value "99999999999" is out of range for type integer', 'value "[value]" is out of '),
        ('new row for relation "patients_patient" violates check constraint "x"', None),
        ("UNIQUE constraint failed: index 'patient_unique_name_dob'", None),
    ],
)
def test_what_is_kept_of_a_message(message, logged):
    assert redacted(message).startswith(logged or message)


def test_the_filter_lets_every_record_through():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "%s", (DataError("x"),), None)
    assert RedactDatabaseErrors().filter(record) is True
