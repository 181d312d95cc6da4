"""Fill the summaries' new status and practitioner columns. Apart from 0011: on PostgreSQL
a table with pending foreign-key checks (the rows this writes) cannot get its index in
the same transaction."""

from django.db import migrations

from patients.summary import refresh_summaries


def summarise_every_patient(apps, schema_editor):
    refresh_summaries(apps.get_model("patients", "Patient").objects.all(), apps=apps)


class Migration(migrations.Migration):
    dependencies = [("patients", "0011_summary_status_practitioner")]

    operations = [migrations.RunPython(summarise_every_patient, migrations.RunPython.noop)]
