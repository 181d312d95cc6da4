"""The clinic dashboard's numbers, computed in the database: a fixed number of queries,
whatever the size of the register."""

from decimal import Decimal
from statistics import median

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from patients.models import Intake, Patient, Phase, PhaseChange, PhaseSuggestion
from patients.models.records import RESPONDER_SHARE
from sessions.models import TreatmentSession

# Baeumler et al., BMJ Open 2021;11:e045961: any adverse event in 7.57 % of treatments.
LITERATURE_AE_PER_100 = Decimal("7.57")


def sessions_to_reach(patients, phase):
    """Median number of sessions before a patient first entered `phase` (None if nobody)."""
    reached = PhaseChange.objects.filter(patient=OuterRef("pk"), phase=phase).order_by("started_on")
    before = (
        TreatmentSession.objects.filter(
            patient=OuterRef("pk"), started_at__date__lt=OuterRef("reached")
        )
        .values("patient")
        .annotate(n=Count("id"))
        .values("n")
    )
    counts = (
        patients.annotate(reached=Subquery(reached.values("started_on")[:1]))
        .filter(reached__isnull=False)
        .annotate(before=Subquery(before))
        .values_list("before", flat=True)
    )
    counts = [n or 0 for n in counts]
    return median(counts) if counts else None


def numbers(patients):
    """Everything the dashboard shows, for these patients (the clinic's, or one
    practitioner's)."""
    today = timezone.localdate()
    active = patients.filter(status=Patient.Status.ACTIVE)
    phase_rows = (
        active.with_current_phase().values("current_phase").annotate(n=Count("id")).order_by()
    )
    per_phase = {row["current_phase"]: row["n"] for row in phase_rows}
    intakes = Intake.objects.filter(patient__in=patients).exclude(status=Intake.Status.STARTED)
    waiting = intakes.aggregate(
        total=Count("id", filter=Q(status=Intake.Status.SUBMITTED)),
        urgent=Count("id", filter=Q(status=Intake.Status.SUBMITTED, urgent=True)),
        unreviewed_flags=Count("id", filter=Q(has_red_flags=True, red_flag_review__isnull=True)),
    )
    response = patients.needing("evaluable").aggregate(
        total=Count("id"),
        responders=Count("id", filter=Q(latest__lte=F("baseline") * RESPONDER_SHARE)),
    )
    treatments = TreatmentSession.objects.filter(patient__in=patients).aggregate(
        sessions=Count("id", distinct=True),
        with_adverse_event=Count("id", filter=Q(adverse_events__isnull=False), distinct=True),
    )
    ae_rate = None
    if treatments["sessions"]:
        ae_rate = Decimal(treatments["with_adverse_event"] * 100) / treatments["sessions"]
    return {
        "phases": [(phase, per_phase.get(phase.value, 0)) for phase in Phase],
        "not_started": per_phase.get(None, 0),
        "waiting": waiting,
        "suggestions": PhaseSuggestion.objects.filter(
            patient__in=patients, status=PhaseSuggestion.Status.OPEN
        ).count(),
        "quiet": patients.needing("quiet", today).count(),
        "response": response,
        "responder_percent": (
            Decimal(response["responders"] * 100) / response["total"] if response["total"] else None
        ),
        "to_phase_2": sessions_to_reach(patients, Phase.CONFIDENCE),
        "to_phase_3": sessions_to_reach(patients, Phase.MOVE),
        "treatments": treatments,
        "ae_rate": ae_rate,
        "ae_literature": LITERATURE_AE_PER_100,
    }
