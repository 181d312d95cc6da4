"""Issue 13: each caution of a note acknowledged on its own (CautionAcknowledgement: who,
when, which caution), and what a note lacked when it was signed (`signed_with`).

A signed note's acknowledgements are locked with it, as its points and adverse events are
(0005_signed_notes_locked): PostgreSQL runs the same trigger function on the new table;
SQLite gets the same INSERT and UPDATE triggers, and the note's UPDATE trigger is made
again with the columns of this migration (signed_with among them).
"""

import importlib

import core.constraints
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

locked = importlib.import_module("sessions.migrations.0005_signed_notes_locked")
TABLE = "treatment_sessions_cautionacknowledgement"
POSTGRES_FORWARD = f"""
CREATE TRIGGER treatment_sessions_signed_note_part_locked BEFORE INSERT OR UPDATE OR DELETE
    ON {TABLE} FOR EACH ROW EXECUTE FUNCTION treatment_sessions_signed_note_part_locked();
"""
POSTGRES_REVERSE = f"DROP TRIGGER IF EXISTS treatment_sessions_signed_note_part_locked ON {TABLE};"


def sqlite_acknowledgement_triggers():
    signed = f"(SELECT status FROM {locked.NOTE} WHERE id = {{}}.session_id) = 'signed'"
    abort = f"SELECT RAISE(ABORT, '{locked.SIGNED_MESSAGE}');"
    return [
        ("treatment_sessions_cautionacknowledgement_insert_locked", f"""
CREATE TRIGGER treatment_sessions_cautionacknowledgement_insert_locked BEFORE INSERT ON {TABLE}
WHEN {signed.format("NEW")} BEGIN {abort} END;"""),
        ("treatment_sessions_cautionacknowledgement_update_locked", f"""
CREATE TRIGGER treatment_sessions_cautionacknowledgement_update_locked BEFORE UPDATE ON {TABLE}
WHEN {signed.format("OLD")} OR {signed.format("NEW")} BEGIN {abort} END;"""),
    ]  # fmt: skip


def sqlite_note_triggers(apps):
    """0005's SQLite triggers, for the note's columns as they are at this point."""
    Note = apps.get_model("treatment_sessions", "TreatmentSession")
    return locked.sqlite_triggers([field.column for field in Note._meta.concrete_fields])


def drop_sqlite_triggers(apps, schema_editor):
    """SQLite remakes the note's table to add a column or a constraint, and the triggers
    that name it stop the remake: they go first and come back after (add_triggers)."""
    if schema_editor.connection.vendor == "sqlite":
        for name, _ in sqlite_note_triggers(apps) + sqlite_acknowledgement_triggers():
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")


def make_sqlite_triggers(apps, schema_editor, triggers):
    if schema_editor.connection.vendor == "sqlite":
        for _, sql in triggers:
            schema_editor.execute(sql)


def add_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    triggers = sqlite_note_triggers(apps) + sqlite_acknowledgement_triggers()
    make_sqlite_triggers(apps, schema_editor, triggers)


def remove_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)
    drop_sqlite_triggers(apps, schema_editor)


def restore_sqlite_triggers(apps, schema_editor):
    make_sqlite_triggers(apps, schema_editor, sqlite_note_triggers(apps))


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0019_safety_skin_lymphoedema_sides_red_flag_reasons'),
        ('treatment_sessions', '0005_signed_notes_locked'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_triggers, restore_sqlite_triggers),
        migrations.CreateModel(
            name='CautionAcknowledgement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('caution', models.CharField(max_length=80)),
                ('message', models.CharField(max_length=400, verbose_name='caution as shown')),
                ('acknowledged_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={
                'ordering': ['acknowledged_at', 'id'],
            },
            bases=(core.constraints.CheckConstraintsInPython, models.Model),
        ),
        migrations.AddField(
            model_name='historicaltreatmentsession',
            name='signed_with',
            field=models.CharField(blank=True, max_length=200, verbose_name='signed knowing it lacks'),
        ),
        migrations.AddField(
            model_name='treatmentsession',
            name='signed_with',
            field=models.CharField(blank=True, max_length=200, verbose_name='signed knowing it lacks'),
        ),
        migrations.AddConstraint(
            model_name='treatmentsession',
            constraint=models.CheckConstraint(condition=models.Q(('status', 'signed'), ('signed_with', ''), _connector='OR'), name='session_signed_with_only_if_signed'),
        ),
        migrations.AddField(
            model_name='cautionacknowledgement',
            name='acknowledged_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='cautionacknowledgement',
            name='session',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='acknowledgements', to='treatment_sessions.treatmentsession'),
        ),
        migrations.AddConstraint(
            model_name='cautionacknowledgement',
            constraint=models.UniqueConstraint(fields=('session', 'caution'), name='acknowledgement_once_per_caution', violation_error_message='This caution is already acknowledged on this note.'),
        ),
        migrations.AddConstraint(
            model_name='cautionacknowledgement',
            constraint=models.CheckConstraint(condition=models.Q(('caution', ''), _negated=True), name='acknowledgement_caution_set'),
        ),
        migrations.AddConstraint(
            model_name='cautionacknowledgement',
            constraint=models.CheckConstraint(condition=models.Q(('message', ''), _negated=True), name='acknowledgement_message_set'),
        ),
        migrations.RunPython(add_triggers, remove_triggers),
    ]
