"""`python manage.py refresh_summaries`: rewrite every patient's summary from the history.

The app keeps the summaries current on every write; run this after changing patient data
outside the app (a restore, a hand-made fix in the database)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from patients.models import Patient, PatientSummary


class Command(BaseCommand):
    help = "Rewrite every patient's summary (phase, pain, sessions) from the history."

    def handle(self, *args, **options):
        with transaction.atomic():
            PatientSummary.objects.refresh_many(Patient.objects.all())
        self.stdout.write(f"Summaries rewritten for {Patient.objects.count()} patients.")
