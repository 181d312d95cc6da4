from django.db import migrations

# On PostgreSQL the audit trail refuses TRUNCATE too: 0002's row trigger sees UPDATE and
# DELETE, but TRUNCATE empties a table without touching a row. (SQLite has no TRUNCATE.)
#
# The one way past it is the session setting clinic.allow_audit_truncate = on, which only
# the test settings turn on: Django's test runner empties every table with TRUNCATE after
# a TransactionTestCase or live-server test. Any role may SET such a setting, so this
# trigger stops mistakes, not an attacker: the real guard is an app role that owns no
# tables and has no TRUNCATE privilege (README, "A database role for the app").
FORWARD = """
CREATE FUNCTION clinic_auditevent_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('clinic.allow_audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: TRUNCATE is refused';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER clinic_auditevent_refuse_truncate BEFORE TRUNCATE ON clinic_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION clinic_auditevent_refuse_truncate();
"""
REVERSE = """
DROP TRIGGER IF EXISTS clinic_auditevent_refuse_truncate ON clinic_auditevent;
DROP FUNCTION IF EXISTS clinic_auditevent_refuse_truncate();
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def remove_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(REVERSE)


class Migration(migrations.Migration):
    dependencies = [("clinic", "0002_roles_and_append_only_audit")]

    operations = [migrations.RunPython(add_trigger, remove_trigger)]
