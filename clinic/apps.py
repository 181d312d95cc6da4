from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinic"

    def ready(self):
        from clinic import idle, roles  # noqa: F401 (idle connects its login receiver)

        # Models added by later migrations get their permissions on the roles too.
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="clinic.sync_roles")
