from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations


# A frozen copy of the roles as they were when this migration was written (the live ones are
# in staff/roles.py, and are brought up to date after every migrate).
PRACTITIONERS = "Practitioners"
CLINIC_ADMINS = "Clinic admins"

ROLE_PERMISSIONS = {
    PRACTITIONERS: {
        "patients.patient": ["view", "add", "change"],
        "clinic.practitionerprofile": ["view"],
        "treatment_sessions.acupuncturepoint": ["view"],
        "patients.patientlink": ["view", "add", "change"],
        "patients.intake": ["view", "change"],
        "patients.redflagreview": ["view", "add"],
        "patients.checkin": ["view"],
        "patients.outcomereading": ["view"],
        "patients.psfsactivity": ["view"],
        "patients.phasechange": ["view", "add"],
        "patients.phasesuggestion": ["view", "change"],
        "treatment_sessions.treatmentsession": ["view", "add", "change"],
        "treatment_sessions.sessionpoint": ["view", "add", "change", "delete"],
        "treatment_sessions.adverseevent": ["view", "add", "change", "delete"],
        "treatment_sessions.amendment": ["view", "add"],
        "treatment_sessions.protocol": ["view", "add", "change", "delete"],
        "treatment_sessions.protocolpoint": ["view", "add", "change", "delete"],
    },
    CLINIC_ADMINS: {
        "patients.patient": ["view", "add", "change"],
        "patients.historicalpatient": ["view"],
        "clinic.practitionerprofile": ["view", "add", "change", "delete"],
        "clinic.auditevent": ["view"],
        "patients.patientlink": ["view", "change"],
        "patients.intake": ["view"],
        "patients.redflagreview": ["view"],
        "patients.consentversion": ["view", "add"],
        "patients.checkin": ["view"],
        "patients.outcomereading": ["view"],
        "patients.phasechange": ["view"],
        "patients.phasesuggestion": ["view"],
        "patients.psfsactivity": ["view"],
        "patients.patientsummary": ["view"],
        "treatment_sessions.acupuncturepoint": ["view", "add", "change", "delete"],
        "treatment_sessions.treatmentsession": ["view", "change"],
        "treatment_sessions.historicaltreatmentsession": ["view"],
        "treatment_sessions.sessionpoint": ["view"],
        "treatment_sessions.adverseevent": ["view", "change"],
        "treatment_sessions.amendment": ["view", "add"],
        "treatment_sessions.protocol": ["view", "add", "change", "delete"],
        "treatment_sessions.protocolpoint": ["view", "add", "change", "delete"],
        "auth.user": ["view", "add", "change"],
        "auth.group": ["view"],
        "axes.accessattempt": ["view", "delete"],
        "axes.accessfailurelog": ["view"],
    },
}


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # Permissions are otherwise made only after migrate; the roles need them now.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, apps=apps, verbosity=0)
    for group_name, models in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        wanted = []
        for label, actions in models.items():
            app_label, model = label.split(".")
            codenames = [f"{action}_{model}" for action in actions]
            wanted += Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        group.permissions.set(wanted)


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
