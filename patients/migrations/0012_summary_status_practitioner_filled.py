"""Fill the summaries' new status and practitioner columns, and give every patient a
summary, since the dashboard now counts the summaries alone. Apart from 0011: on
PostgreSQL a table with pending foreign-key checks (the rows this writes) cannot get its
index in the same transaction.

A frozen copy of what patients.summary did for these columns, on the historical models. A
patient without a summary yet has no history written since 0007 filled the table, so the
defaults are right for the rest of a new row."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def summarise_every_patient(apps, schema_editor):
    Patient = apps.get_model("patients", "Patient")
    Summary = apps.get_model("patients", "PatientSummary")
    missing = Patient.objects.filter(summary__isnull=True).values_list("pk", flat=True)
    Summary.objects.bulk_create(
        (Summary(patient_id=pk) for pk in missing.iterator()), batch_size=5000
    )
    patient = Patient.objects.filter(pk=OuterRef("patient_id"))
    Summary.objects.update(
        status=Subquery(patient.values("status")[:1]),
        practitioner=Subquery(patient.values("practitioner")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [("patients", "0011_summary_status_practitioner")]

    operations = [migrations.RunPython(summarise_every_patient, migrations.RunPython.noop)]
