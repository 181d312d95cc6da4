from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The clinic dashboard: the numbers the clinic asks of its patients' summaries."""

    name = "dashboard"
    verbose_name = "Dashboard"
