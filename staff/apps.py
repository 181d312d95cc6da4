from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "Staff"

    def ready(self):
        from staff import idle, roles  # noqa: F401 (idle connects its login receiver)

        # Models added by later migrations get their permissions on the roles too.
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="staff.sync_roles")
