from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Synthetic data and measurement: `seed_demo`, `bench`, `loadtest`, `racecheck`."""

    name = "demo"
    verbose_name = "Demo data and measurement"
