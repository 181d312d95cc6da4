"""Keep PatientSummary in step with the history it summarises.

refresh_summary(patient) is called in the same transaction as every write that changes a
patient's summary: Patient.save, patients.actions (intake accepted, check-in),
patients.progress (phase change), sessions.actions (a session note) and the session
admin. It locks the row and rewrites it from the history with one UPDATE, so it is right
whatever happened before. refresh_summaries() does the same for many patients at once, in
one set-based UPDATE: for the demo seed, migrations and `manage.py refresh_summaries`.
"""

from django.apps import apps as global_apps
from django.db import connections, router, transaction
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.sql import UpdateQuery
from django.utils import timezone

OWN = OuterRef("patient_id")


def _counted(queryset, patient="patient", what="id", distinct=False):
    """A correlated COUNT over `queryset` (already filtered on the outer patient)."""
    counted = queryset.order_by().values(patient)
    counted = counted.annotate(n=Count(what, distinct=distinct)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _course(apps):
    """Phase, dates, baseline and latest readings: what the history says today."""
    Reading = apps.get_model("patients", "OutcomeReading")
    PhaseChange = apps.get_model("patients", "PhaseChange")
    Session = apps.get_model("treatment_sessions", "TreatmentSession")
    SessionPoint = apps.get_model("treatment_sessions", "SessionPoint")
    AdverseEvent = apps.get_model("treatment_sessions", "AdverseEvent")
    phases = PhaseChange.objects.filter(patient=OWN)
    latest_phase = phases.order_by("-started_on", "-id")
    pain = Reading.objects.filter(patient=OWN, measure="pain_average")
    latest_pain = pain.exclude(source="intake").order_by("-taken_on", "-id")
    sessions = Session.objects.filter(patient=OWN)
    patient = apps.get_model("patients", "Patient").objects.filter(pk=OWN)
    return {
        "status": Subquery(patient.values("status")[:1]),
        "practitioner": Subquery(patient.values("practitioner")[:1]),
        "phase": Subquery(latest_phase.values("phase")[:1]),
        "phase_started_on": Subquery(latest_phase.values("started_on")[:1]),
        "reached_phase_2_on": Subquery(
            phases.filter(phase=2).order_by("started_on").values("started_on")[:1]
        ),
        "reached_phase_3_on": Subquery(
            phases.filter(phase=3).order_by("started_on").values("started_on")[:1]
        ),
        "baseline_pain": Subquery(
            pain.filter(source="intake").order_by("taken_on", "id").values("value")[:1]
        ),
        "latest_pain": Subquery(latest_pain.values("value")[:1]),
        "latest_pain_on": Subquery(latest_pain.values("taken_on")[:1]),
        "last_reading_on": Subquery(
            Reading.objects.filter(patient=OWN).order_by("-taken_on").values("taken_on")[:1]
        ),
        "sessions": _counted(sessions),
        "sessions_with_adverse_event": _counted(
            AdverseEvent.objects.filter(session__patient=OWN),
            "session__patient",
            what="session",
            distinct=True,
        ),
        "adverse_events": _counted(
            AdverseEvent.objects.filter(session__patient=OWN), "session__patient"
        ),
        "needles": Coalesce(
            Subquery(
                SessionPoint.objects.filter(session__patient=OWN)
                .order_by()
                .values("session__patient")
                .annotate(n=Sum(Case(When(side="B", then=Value(2)), default=Value(1))))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    }


def _sessions_before_phases(apps):
    """Sessions before the patient first entered phases 2 and 3 (NULL if never)."""
    PhaseChange = apps.get_model("patients", "PhaseChange")
    Session = apps.get_model("treatment_sessions", "TreatmentSession")
    counts = {}
    for phase in (2, 3):
        entered = PhaseChange.objects.filter(patient=OWN, phase=phase)
        first_day = PhaseChange.objects.filter(patient=OuterRef(OWN), phase=phase)
        first_day = first_day.order_by("started_on").values("started_on")[:1]
        before = Session.objects.filter(patient=OWN, started_at__date__lt=Subquery(first_day))
        counts[f"sessions_before_phase_{phase}"] = Case(
            When(Exists(entered), then=_counted(before)), default=None
        )
    return counts


def _fresh(apps):
    """Every column's new value; in a migration, only the columns the table has by then.

    Migrations 0007, 0010 and 0012 fill the table through refresh_summaries() with their
    historical models: a change here that reads a field added by a later migration must
    give those migrations a frozen copy of this code instead."""
    columns = {field.name for field in apps.get_model("patients", "PatientSummary")._meta.fields}
    values = _course(apps) | _sessions_before_phases(apps)
    return {name: value for name, value in values.items() if name in columns}


# One patient's UPDATE is compiled once a process (per database and time zone) and run
# with the patient's id in place of this stand-in: building and compiling its fourteen
# subqueries takes Django about 8 ms, running it about 1 ms.
STAND_IN = -424242
_compiled = {}


def _update_for_one(using):
    key = (using, timezone.get_current_timezone_name())
    if key not in _compiled:
        Summary = global_apps.get_model("patients", "PatientSummary")
        query = Summary.objects.filter(patient_id=STAND_IN).query.chain(UpdateQuery)
        query.add_update_values(_fresh(global_apps))
        sql, params = query.get_compiler(using).as_sql()
        assert [type(p) is int and p == STAND_IN for p in params].count(True) == 1
        _compiled[key] = sql, params
    return _compiled[key]


@transaction.atomic(savepoint=False)
def refresh_summary(patient):
    """Rewrite one patient's summary from the history (creating it the first time)."""
    Summary = global_apps.get_model("patients", "PatientSummary")
    using = router.db_for_write(Summary)
    sql, params = _update_for_one(using)
    params = [patient.pk if type(p) is int and p == STAND_IN else p for p in params]
    # Lock the row first: on PostgreSQL an UPDATE that waits for another transaction's
    # lock would then compute from data as it was before that transaction committed.
    # After the lock, the UPDATE is a new statement and sees it.
    if not Summary.objects.select_for_update().filter(patient_id=patient.pk).exists():
        Summary.objects.get_or_create(patient_id=patient.pk)
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)


def refresh_summaries(patients, apps=global_apps):
    """Rewrite the summaries of every patient in the queryset `patients`: for the demo
    seed, the migrations that add columns, and `manage.py refresh_summaries`."""
    Summary = apps.get_model("patients", "PatientSummary")
    missing = patients.filter(summary__isnull=True).values_list("pk", flat=True)
    Summary.objects.bulk_create(
        (Summary(patient_id=pk) for pk in missing.iterator()), batch_size=5000
    )
    Summary.objects.filter(patient__in=patients.values("pk")).update(**_fresh(apps))
