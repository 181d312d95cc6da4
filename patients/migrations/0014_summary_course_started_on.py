"""The summaries keep the day each patient's course started (their first phase change: the
accepted intake), for the dashboard's time to each phase; filled here from the phase
changes, a frozen copy of what patients.summary does for the column."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_course_started_on(apps, schema_editor):
    Summary = apps.get_model("patients", "PatientSummary")
    PhaseChange = apps.get_model("patients", "PhaseChange")
    first = PhaseChange.objects.filter(patient=OuterRef("patient_id")).order_by("started_on")
    Summary.objects.update(course_started_on=Subquery(first.values("started_on")[:1]))


class Migration(migrations.Migration):
    dependencies = [("patients", "0013_admin_names")]

    operations = [
        migrations.AddField(
            model_name="patientsummary",
            name="course_started_on",
            field=models.DateField(
                blank=True,
                null=True,
                verbose_name="course started (first phase change: the accepted intake)",
            ),
        ),
        migrations.RunPython(fill_course_started_on, migrations.RunPython.noop),
    ]
