from django.db import migrations


def create_roles(apps, schema_editor):
    from clinic.roles import sync_roles

    sync_roles(apps)


# The audit trail refuses UPDATE in the database itself, and on PostgreSQL DELETE as well.
# (On SQLite the test runner empties tables with DELETE, so there only UPDATE is refused;
# the model and its QuerySet refuse both everywhere.)
POSTGRES_FORWARD = """
CREATE FUNCTION clinic_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER clinic_auditevent_append_only BEFORE UPDATE OR DELETE ON clinic_auditevent
    FOR EACH ROW EXECUTE FUNCTION clinic_auditevent_append_only();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS clinic_auditevent_append_only ON clinic_auditevent;
DROP FUNCTION IF EXISTS clinic_auditevent_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER clinic_auditevent_append_only BEFORE UPDATE ON clinic_auditevent
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS clinic_auditevent_append_only;"


def add_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def remove_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0001_initial"),
        ("patients", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(create_roles, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, remove_trigger),
    ]
