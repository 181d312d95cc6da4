"""What a patient's summary says: one expression per column of PatientSummary, over the
patient's row and history, correlated on the summary's own patient_id.

They are written by PatientSummary.objects.refresh() and refresh_many()
(patients.models.summary), the one way into the table. The migrations that filled it keep
frozen copies of the columns they had, so this module may follow the model.
"""

from django.apps import apps
from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest

OWN = OuterRef("patient_id")


def spell_end():
    """A phase change's ended_on, correlated on its own row: the start of the patient's
    next change (in started_on, id order), or for the last one of a discharged or archived
    patient the day of their last reading (never before the spell started), else null.
    Restoring an archived patient to active reopens the last spell; to discharged, keeps
    it closed."""
    PhaseChange = apps.get_model("patients", "PhaseChange")
    Reading = apps.get_model("patients", "OutcomeReading")
    Patient = apps.get_model("patients", "Patient")
    own = PhaseChange.objects.filter(patient=OuterRef("patient_id"))
    later = own.filter(
        Q(started_on__gt=OuterRef("started_on"))
        | Q(started_on=OuterRef("started_on"), id__gt=OuterRef("id"))
    )
    last_reading = Reading.objects.filter(patient=OuterRef("patient_id")).order_by("-taken_on")
    closed = Patient.objects.filter(pk=OuterRef("patient_id"), status__in=CLOSED)
    return Coalesce(
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


# The statuses that close a patient's last phase spell.
CLOSED = ["discharged", "archived"]


def _counted(queryset, patient="patient", what="id", distinct=False):
    """A correlated COUNT over `queryset` (already filtered on the outer patient)."""
    counted = queryset.order_by().values(patient)
    counted = counted.annotate(n=Count(what, distinct=distinct)).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def needles_of_row():
    """A session point's needles (CLINICAL.md 3): its own count per side, else its point's,
    times two when bilateral."""
    per_side = Coalesce(F("needles_per_side"), F("point__needles_per_side"))
    return per_side * Case(When(side="B", then=Value(2)), default=Value(1))


def _course():
    """The patient's status and practitioner (copied, so that the dashboard counts one
    table), the body parts of the accepted intake's pain map, phase and its dates, the day
    the course started, baseline and latest pain, and the sessions' counts."""
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
    signed_events = AdverseEvent.objects.filter(session__patient=OWN, session__status="signed")
    patient = apps.get_model("patients", "Patient").objects.filter(pk=OWN)
    accepted = apps.get_model("patients", "Intake").objects.filter(patient=OWN, status="accepted")
    return {
        "status": Subquery(patient.values("status")[:1]),
        "regions": Coalesce(Subquery(accepted.values("pain_regions")[:1]), Value(0)),
        "practitioner": Subquery(patient.values("practitioner")[:1]),
        "phase": Subquery(latest_phase.values("phase")[:1]),
        "phase_started_on": Subquery(latest_phase.values("started_on")[:1]),
        "course_started_on": Subquery(phases.order_by("started_on").values("started_on")[:1]),
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
        # The adverse-event rate counts signed sessions only: a draft may still change.
        "signed_sessions": _counted(sessions.filter(status="signed")),
        "signed_sessions_with_adverse_event": _counted(
            signed_events, "session__patient", what="session", distinct=True
        ),
        "signed_adverse_events": _counted(signed_events, "session__patient"),
        "serious_adverse_events": _counted(
            signed_events.filter(severity="serious"), "session__patient"
        ),
        "adverse_events": _counted(
            AdverseEvent.objects.filter(session__patient=OWN), "session__patient"
        ),
        "needles": Coalesce(
            Subquery(
                SessionPoint.objects.filter(session__patient=OWN)
                .order_by()
                .values("session__patient")
                .annotate(n=Sum(needles_of_row()))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    }


def _sessions_before_phases():
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


def fresh_values():
    """Every column's new value, for QuerySet.update() on the summaries."""
    return _course() | _sessions_before_phases()
