"""`python manage.py invite_patient EMAIL [--name "Given Family"]`: print an intake link.

For admins and scripts. An existing patient with that email gets a new link; otherwise
--name is needed and an invited patient is created.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from patients.models import Patient, PatientLink, PatientSummary
from patients.views.links import link_path


class Command(BaseCommand):
    help = "Create an intake link for a patient and print it."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", help="the new patient's full name, e.g. 'Ana Silva'")

    @transaction.atomic
    def handle(self, *args, email, name, **options):
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"Not an email address: {email!r}") from None
        matches = list(Patient.objects.filter(email__iexact=email)[:2])
        if len(matches) > 1:
            raise CommandError("Several patients have this email; invite from the app instead.")
        if matches:
            patient = matches[0]
            if patient.is_archived or patient.intakes.filter(status__in=["submitted", "accepted"]):
                raise CommandError("This patient's intake is already sent (or they are archived).")
        else:
            if not name or len(name.split()) < 2:
                raise CommandError("A new patient needs --name with a given and a family name.")
            given, family = name.split(maxsplit=1)
            patient = Patient.objects.create(
                given_name=given, family_name=family, email=email, status=Patient.Status.INVITED
            )
            PatientSummary.objects.refresh(patient)
        link, token = PatientLink.issue(patient, PatientLink.Purpose.INTAKE)
        self.stdout.write(settings.CLINIC_BASE_URL + link_path(link.purpose, token))
