"""The two staff roles and the model permissions each holds.

A data migration creates the groups; after every migrate the permissions are brought
up to date, so a model added later is covered without another hand-written migration.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

PRACTITIONERS = "Practitioners"
CLINIC_ADMINS = "Clinic admins"

ROLE_PERMISSIONS = {
    PRACTITIONERS: {
        "patients.patient": ["view", "add", "change"],
        "staff.practitionerprofile": ["view"],
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
        "staff.practitionerprofile": ["view", "add", "change", "delete"],
        "audit.auditevent": ["view"],
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
        "patients.outcomeweek": ["view"],
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


def sync_roles(apps=global_apps):
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


def sync_roles_after_migrate(sender, app_config=None, **kwargs):
    # Once per migrate run, on this app's signal (sync_roles covers every app itself).
    if app_config is not None and app_config.label == "staff":
        sync_roles(kwargs.get("apps") or global_apps)
