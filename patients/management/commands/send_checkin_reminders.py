"""`python manage.py send_checkin_reminders`: email each patient whose check-in is due a
reminder with a check-in link (patients.reminders). The periodic job "checkin-reminders"
runs it every hour through `manage.py run_jobs`; running it again sends nothing twice."""

from django.core.management.base import BaseCommand

from patients.reminders import send_due_reminders


class Command(BaseCommand):
    help = "Email check-in reminders to the patients whose check-in is due."

    def handle(self, *args, **options):
        self.stdout.write(send_due_reminders())
