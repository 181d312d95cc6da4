"""`python manage.py run_jobs`: run the periodic jobs that are due (jobs.schedule). Run it
every few minutes from cron; two at once never run the same job twice for one slot."""

from django.core.management.base import BaseCommand

from jobs.schedule import run_due


class Command(BaseCommand):
    help = "Run the periodic jobs that are due (settings.PERIODIC_JOBS); run it from cron."

    def handle(self, *args, **options):
        ran = run_due()
        for name, outcome in ran:
            self.stdout.write(f"{name}: {outcome}")
        if not ran:
            self.stdout.write("No job due.")
