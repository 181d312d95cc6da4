"""The adverse-event rate counts signed sessions only (issue 13): the summary keeps its
patient's signed sessions, those with an adverse event, their events and the serious ones,
filled here for existing rows with a frozen copy of their expressions in patients.summary."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from django.conf import settings
from django.db import migrations, models


def fill(apps, schema_editor):
    Summary = apps.get_model("patients", "PatientSummary")
    Session = apps.get_model("treatment_sessions", "TreatmentSession")
    AdverseEvent = apps.get_model("treatment_sessions", "AdverseEvent")
    own = OuterRef("patient_id")

    def counted(queryset, patient, what="id", distinct=False):
        counts = queryset.order_by().values(patient)
        counts = counts.annotate(n=Count(what, distinct=distinct)).values("n")
        return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))

    events = AdverseEvent.objects.filter(session__patient=own, session__status="signed")
    Summary.objects.update(
        signed_sessions=counted(Session.objects.filter(patient=own, status="signed"), "patient"),
        signed_sessions_with_adverse_event=counted(
            events, "session__patient", what="session", distinct=True
        ),
        signed_adverse_events=counted(events, "session__patient"),
        serious_adverse_events=counted(events.filter(severity="serious"), "session__patient"),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0016_outcome_weeks_and_regions'),
        ('treatment_sessions', '0005_signed_notes_locked'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='patientsummary',
            name='summary_adverse_events_within_sessions',
        ),
        migrations.RemoveField(
            model_name='patientsummary',
            name='sessions_with_adverse_event',
        ),
        migrations.AddField(
            model_name='patientsummary',
            name='serious_adverse_events',
            field=models.PositiveIntegerField(default=0, verbose_name='serious adverse events (signed sessions)'),
        ),
        migrations.AddField(
            model_name='patientsummary',
            name='signed_adverse_events',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='patientsummary',
            name='signed_sessions',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='patientsummary',
            name='signed_sessions_with_adverse_event',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='patientsummary',
            constraint=models.CheckConstraint(condition=models.Q(('signed_sessions__lte', models.F('sessions')), ('signed_sessions_with_adverse_event__lte', models.F('signed_sessions')), ('serious_adverse_events__lte', models.F('signed_adverse_events'))), name='summary_signed_counts_within'),
        ),
    ]
