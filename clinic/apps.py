from django.apps import AppConfig


class ClinicConfig(AppConfig):
    """The project: settings, URLs, middleware, error pages. It keeps its migrations, which
    created the tables the audit and staff apps now own."""

    name = "clinic"
    verbose_name = "Clinic"
