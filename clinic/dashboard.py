"""The clinic dashboard's numbers: four queries, whatever the size of the register.

They come from PatientSummary (status, practitioner, current phase, baseline and latest
pain, sessions, last reading), kept up to date by every write, so the big aggregate reads
one narrow row a patient, with no join, instead of the whole history.
"""

from decimal import Decimal
from statistics import median

from django.db.models import Count, Q, Sum
from django.utils import timezone

from patients.models import Intake, Patient, PatientSummary, Phase, PhaseSuggestion
from patients.models.records import evaluable, quiet_since, responding

# Baeumler et al., BMJ Open 2021;11:e045961: any adverse event in 7.57 % of treatments.
LITERATURE_AE_PER_100 = Decimal("7.57")


def patient_counts(summaries, today):
    """Patients by status, active patients by phase, quiet, evaluable and responding, the
    treatments behind them, and the sessions before phases 2 and 3: one pass over the
    patients' summaries and one over those that reached phase 2 or 3."""
    active = Q(status=Patient.Status.ACTIVE)
    per_status = {
        f"status_{status}": Count("pk", filter=Q(status=status)) for status in Patient.Status
    }
    per_phase = {f"phase_{phase}": Count("pk", filter=active & Q(phase=phase)) for phase in Phase}
    counts = summaries.aggregate(
        **per_status,
        **per_phase,
        not_started=Count("pk", filter=active & Q(phase__isnull=True)),
        quiet=Count("pk", filter=active & quiet_since(today, via="")),
        evaluable=Count("pk", filter=evaluable(via="")),
        responders=Count("pk", filter=responding(via="")),
        sessions=Sum("sessions", default=0),
        with_adverse_event=Sum("sessions_with_adverse_event", default=0),
    )
    rows = summaries.filter(
        Q(sessions_before_phase_2__isnull=False) | Q(sessions_before_phase_3__isnull=False)
    ).values_list("sessions_before_phase_2", "sessions_before_phase_3")
    to_2 = [row[0] for row in rows if row[0] is not None]
    to_3 = [row[1] for row in rows if row[1] is not None]
    counts["to_phase_2"] = median(to_2) if to_2 else None
    counts["to_phase_3"] = median(to_3) if to_3 else None
    return counts


def numbers(practitioner=None):
    """Everything the dashboard shows, for the clinic or for one practitioner's patients."""
    summaries = PatientSummary.objects.all()
    intakes = Intake.objects.filter(Q(status=Intake.Status.SUBMITTED) | Q(has_red_flags=True))
    suggestions = PhaseSuggestion.objects.filter(status=PhaseSuggestion.Status.OPEN)
    if practitioner is not None:
        summaries = summaries.filter(practitioner=practitioner)
        intakes = intakes.filter(patient__practitioner=practitioner)
        suggestions = suggestions.filter(patient__practitioner=practitioner)
    counts = patient_counts(summaries, timezone.localdate())
    # Only waiting or flagged intakes, through their partial indexes.
    waiting = intakes.exclude(status=Intake.Status.STARTED).aggregate(
        total=Count("id", filter=Q(status=Intake.Status.SUBMITTED)),
        urgent=Count("id", filter=Q(status=Intake.Status.SUBMITTED, urgent=True)),
        unreviewed_flags=Count("id", filter=Q(has_red_flags=True, red_flag_review__isnull=True)),
    )
    response = {"total": counts["evaluable"], "responders": counts["responders"]}
    treatments = {
        "sessions": counts["sessions"],
        "with_adverse_event": counts["with_adverse_event"],
    }
    ae_rate = None
    if treatments["sessions"]:
        ae_rate = Decimal(treatments["with_adverse_event"] * 100) / treatments["sessions"]
    by_status = [(status, counts[f"status_{status}"]) for status in Patient.Status]
    return {
        "counts": by_status,
        "current": sum(n for status, n in by_status if status != Patient.Status.ARCHIVED),
        "phases": [(phase, counts[f"phase_{phase}"]) for phase in Phase],
        "not_started": counts["not_started"],
        "waiting": waiting,
        "suggestions": suggestions.count(),
        "quiet": counts["quiet"],
        "response": response,
        "responder_percent": (
            Decimal(response["responders"] * 100) / response["total"] if response["total"] else None
        ),
        "to_phase_2": counts["to_phase_2"],
        "to_phase_3": counts["to_phase_3"],
        "treatments": treatments,
        "ae_rate": ae_rate,
        "ae_literature": LITERATURE_AE_PER_100,
    }
