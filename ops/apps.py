from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the clinic's server: the health check (/healthz) and the backups. No models."""

    name = "ops"
    verbose_name = "Operations"
