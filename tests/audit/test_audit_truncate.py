"""On PostgreSQL the audit table refuses TRUNCATE, unless the session says it may (only the
test settings do, for the test runner's flush)."""

import psycopg
import pytest
from django.db import DatabaseError, connection, transaction

from audit import trail
from audit.models import AuditEvent

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")


@pytest.fixture
def event(patient):
    return AuditEvent.objects.get(action=AuditEvent.Action.CREATE)  # the patient's creation


def truncate(sql, allow):
    with transaction.atomic(), connection.cursor() as cursor:
        # the test's own inserts leave deferred key checks, which TRUNCATE will not wait for
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"SET LOCAL clinic.allow_audit_truncate = {allow}")
        cursor.execute(sql)
        transaction.set_rollback(True)  # a truncate that went through is undone


@pytest.mark.parametrize(
    "sql",
    [
        "TRUNCATE clinic_auditevent",
        "TRUNCATE clinic_auditevent RESTART IDENTITY CASCADE",
        "TRUNCATE auth_user CASCADE",  # reaches the audit table through its user column
    ],
)
def test_a_truncate_of_the_audit_table_is_refused(event, sql):
    with pytest.raises(DatabaseError, match="TRUNCATE is refused"):
        truncate(sql, allow="off")
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_a_connection_without_the_setting_is_refused():
    """As the app's own connections are. (And the flush after this test, by TRUNCATE,
    passes on the test settings' connection.)"""
    trail.record(AuditEvent.Action.VIEW, detail="kept")
    db = connection.settings_dict
    with psycopg.connect(
        dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"],
        port=db["PORT"], autocommit=True,
    ) as other:  # fmt: skip
        setting = "SELECT current_setting('clinic.allow_audit_truncate', true)"
        assert other.execute(setting).fetchone() == (None,)
        with pytest.raises(psycopg.errors.RaiseException, match="TRUNCATE is refused"):
            other.execute("TRUNCATE clinic_auditevent")
    assert AuditEvent.objects.filter(detail="kept").exists()


def test_the_test_settings_let_the_test_runner_truncate(event):
    with connection.cursor() as cursor:
        cursor.execute("SHOW clinic.allow_audit_truncate")
        assert cursor.fetchone() == ("on",)
    truncate("TRUNCATE clinic_auditevent CASCADE", allow="on")
    assert AuditEvent.objects.filter(pk=event.pk).exists()  # rolled back
