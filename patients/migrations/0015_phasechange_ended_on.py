"""The phase history keeps each spell's end (PhaseChange.ended_on), for the dashboard's
phase flow; filled here for existing rows with a frozen copy of patients.summary.spell_end:
the next change's start, or for the last spell of a discharged or archived patient their
last reading (never before the spell started)."""

from django.db import migrations, models
from django.db.models import Case, DateField, Exists, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce, Greatest


def fill_ended_on(apps, schema_editor):
    PhaseChange = apps.get_model("patients", "PhaseChange")
    Reading = apps.get_model("patients", "OutcomeReading")
    Patient = apps.get_model("patients", "Patient")
    own = PhaseChange.objects.filter(patient=OuterRef("patient_id"))
    later = own.filter(
        Q(started_on__gt=OuterRef("started_on"))
        | Q(started_on=OuterRef("started_on"), id__gt=OuterRef("id"))
    )
    last_reading = Reading.objects.filter(patient=OuterRef("patient_id")).order_by("-taken_on")
    closed = Patient.objects.filter(pk=OuterRef("patient_id"), status__in=["discharged", "archived"])
    PhaseChange.objects.update(
        ended_on=Coalesce(
            Subquery(later.order_by("started_on", "id").values("started_on")[:1]),
            Case(
                When(
                    Exists(closed),
                    then=Greatest(
                        Coalesce(Subquery(last_reading.values("taken_on")[:1]), F("started_on")),
                        F("started_on"),
                    ),
                ),
                default=None,
                output_field=DateField(),
            ),
        )
    )


class Migration(migrations.Migration):
    dependencies = [("patients", "0014_summary_course_started_on")]

    operations = [
        migrations.AddField(
            model_name="phasechange",
            name="ended_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(fill_ended_on, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="phasechange",
            index=models.Index(
                fields=["phase", "started_on", "ended_on"], name="phasechange_spell"
            ),
        ),
        migrations.AddConstraint(
            model_name="phasechange",
            constraint=models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="phasechange_ends_after_start",
            ),
        ),
    ]
