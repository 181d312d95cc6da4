"""The database refuses every change to a signed treatment note.

PostgreSQL: a signed note's row cannot be updated (but for `updated_at`) or deleted, and
its points and adverse events cannot be inserted, updated or deleted; amendments, once
written, cannot be updated or deleted. New amendments stay possible.

SQLite: the same, except the DELETEs: Django's test runner empties SQLite tables with
DELETE (PostgreSQL's uses TRUNCATE, which row triggers do not see), so there a DELETE is
refused by the models only. The column list of the note's UPDATE trigger is the one of
this migration: a column added later is guarded on PostgreSQL (which compares whole rows)
and, on SQLite, by the model until a migration adds it here.
"""

from django.db import migrations

NOTE = "treatment_sessions_treatmentsession"
PARTS = ["treatment_sessions_sessionpoint", "treatment_sessions_adverseevent"]
AMENDMENT = "treatment_sessions_amendment"
SIGNED_MESSAGE = "this treatment note is signed and cannot be changed; add an amendment"

POSTGRES_FORWARD = f"""
CREATE FUNCTION treatment_sessions_signed_note_locked() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'signed' AND (TG_OP = 'DELETE'
            OR (to_jsonb(NEW) - 'updated_at') IS DISTINCT FROM (to_jsonb(OLD) - 'updated_at'))
    THEN
        RAISE EXCEPTION '{SIGNED_MESSAGE}' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER treatment_sessions_signed_note_locked BEFORE UPDATE OR DELETE ON {NOTE}
    FOR EACH ROW EXECUTE FUNCTION treatment_sessions_signed_note_locked();

CREATE FUNCTION treatment_sessions_signed_note_part_locked() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM {NOTE} WHERE status = 'signed' AND id IN (
            CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.session_id END,
            CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.session_id END)
    ) THEN
        RAISE EXCEPTION '{SIGNED_MESSAGE}' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER treatment_sessions_signed_note_part_locked BEFORE INSERT OR UPDATE OR DELETE
    ON {table} FOR EACH ROW EXECUTE FUNCTION treatment_sessions_signed_note_part_locked();
"""
    for table in PARTS
) + f"""
CREATE FUNCTION treatment_sessions_amendment_kept() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'an amendment is part of the signed record and cannot be changed'
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER treatment_sessions_amendment_kept BEFORE UPDATE OR DELETE ON {AMENDMENT}
    FOR EACH ROW EXECUTE FUNCTION treatment_sessions_amendment_kept();
"""

POSTGRES_REVERSE = (
    f"DROP TRIGGER IF EXISTS treatment_sessions_signed_note_locked ON {NOTE};"
    + "".join(
        f"DROP TRIGGER IF EXISTS treatment_sessions_signed_note_part_locked ON {table};"
        for table in PARTS
    )
    + f"DROP TRIGGER IF EXISTS treatment_sessions_amendment_kept ON {AMENDMENT};"
    + "DROP FUNCTION IF EXISTS treatment_sessions_signed_note_locked();"
    + "DROP FUNCTION IF EXISTS treatment_sessions_signed_note_part_locked();"
    + "DROP FUNCTION IF EXISTS treatment_sessions_amendment_kept();"
)


def sqlite_triggers(note_columns):
    """(name, CREATE TRIGGER statement) for SQLite, given the note's columns."""
    changed = " OR ".join(
        f"NEW.{column} IS NOT OLD.{column}" for column in note_columns if column != "updated_at"
    )
    abort = f"SELECT RAISE(ABORT, '{SIGNED_MESSAGE}');"
    triggers = [
        ("treatment_sessions_signed_note_locked", f"""
CREATE TRIGGER treatment_sessions_signed_note_locked BEFORE UPDATE ON {NOTE}
WHEN OLD.status = 'signed' AND ({changed})
BEGIN {abort} END;"""),
        ("treatment_sessions_amendment_kept", f"""
CREATE TRIGGER treatment_sessions_amendment_kept BEFORE UPDATE ON {AMENDMENT}
BEGIN SELECT RAISE(ABORT, 'an amendment is part of the signed record and cannot be changed');
END;"""),
    ]  # fmt: skip
    signed = f"(SELECT status FROM {NOTE} WHERE id = {{}}.session_id) = 'signed'"
    for table in PARTS:
        short = table.removeprefix("treatment_sessions_")
        triggers += [
            (f"treatment_sessions_{short}_insert_locked", f"""
CREATE TRIGGER treatment_sessions_{short}_insert_locked BEFORE INSERT ON {table}
WHEN {signed.format("NEW")} BEGIN {abort} END;"""),
            (f"treatment_sessions_{short}_update_locked", f"""
CREATE TRIGGER treatment_sessions_{short}_update_locked BEFORE UPDATE ON {table}
WHEN {signed.format("OLD")} OR {signed.format("NEW")} BEGIN {abort} END;"""),
        ]  # fmt: skip
    return triggers


def add_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        Note = apps.get_model("treatment_sessions", "TreatmentSession")
        for _, sql in sqlite_triggers([field.column for field in Note._meta.concrete_fields]):
            schema_editor.execute(sql)


def remove_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    elif vendor == "sqlite":
        for name, _ in sqlite_triggers([]):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")


class Migration(migrations.Migration):
    dependencies = [("treatment_sessions", "0004_session_started_after_2000")]

    operations = [migrations.RunPython(add_triggers, remove_triggers)]
