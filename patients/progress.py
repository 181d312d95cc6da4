"""A patient's course: phase history, rule suggestions, and the data behind the progress
page. Reads are a fixed handful of queries, whatever the length of the history."""

from decimal import Decimal

from django.db import transaction
from django.utils import dateformat, formats, timezone, translation

from patients.models import (
    OutcomeReading,
    Patient,
    PatientSummary,
    Phase,
    PhaseChange,
    PhaseSuggestion,
)
from patients.rules import Course, Reading, suggest
from patients.scoring import improvement_percent, responder_category

RULE_MEASURES = ["pain_average", "confidence", "psfs", "active_minutes"]
CHART_MEASURES = RULE_MEASURES + ["peg", "session_pain_before", "session_pain_after"]
PEG_ITEMS = ["enjoyment", "activity"]  # beside the PEG score in its table (P is pain_average)
DAY = "DATE_FORMAT"  # the app's dates (clinic/formats): 25 Nov 2026
Status = PhaseSuggestion.Status


def course_for(patient, readings=None, phases=None):
    """The rules' view of the patient, or None before the intake is accepted."""
    phases = list(patient.phase_changes.all()) if phases is None else phases
    if not phases:
        return None
    if readings is None:
        readings = patient.readings.filter(measure__in=RULE_MEASURES).order_by("taken_on", "id")
    rows = [
        Reading(r.measure, r.taken_on, r.value, r.source)
        for r in readings
        if r.measure in RULE_MEASURES
    ]
    intake = [r for r in rows if r.source == "intake"]
    return Course(
        phase=phases[-1].phase,
        phase_started_on=phases[-1].started_on,
        baseline=next((r for r in intake if r.measure == "pain_average"), None),
        psfs_baseline=next((r for r in intake if r.measure == "psfs"), None),
        readings=tuple(r for r in rows if r.source != "intake"),
        intake=tuple(intake),
    )


# Atomic on its own; inside a caller's transaction, part of it (no savepoint of its own).
@transaction.atomic(savepoint=False)
def refresh_suggestion(patient):
    """Run the rules on the latest readings; keep at most one open suggestion, and none for
    a patient who is not in care (discharged or archived). Called whenever a reading
    arrives, the phase changes or the patient's status does."""
    course = course_for(patient) if patient.status == patient.Status.ACTIVE else None
    found = suggest(course) if course else None
    current = patient.phase_suggestions.select_for_update().filter(status=Status.OPEN).first()
    if found is None:
        if current:
            current.status = Status.LAPSED
            current.save(update_fields=["status"])
        return None
    evidence = [
        {
            "measure": r.measure,
            "taken_on": r.taken_on.isoformat(),
            "value": f"{Decimal(r.value).normalize():f}",
        }
        for r in found.evidence
    ]
    through = max(r.taken_on for r in found.evidence)
    if current and current.kind == found.kind:
        current.reason, current.evidence, current.evidence_through = (
            found.reason,
            evidence,
            through,
        )
        current.save(update_fields=["reason", "evidence", "evidence_through"])
        return current
    if current:
        current.status = Status.LAPSED
        current.save(update_fields=["status"])
    if patient.phase_suggestions.filter(
        kind=found.kind, status=Status.DISMISSED, evidence_through__gte=through
    ).exists():
        return None  # dismissed, and nothing newer since
    return PhaseSuggestion.objects.create(
        patient=patient,
        kind=found.kind,
        to_phase=found.to_phase,
        reason=found.reason,
        evidence=evidence,
        evidence_through=through,
    )


@transaction.atomic(savepoint=False)
def change_phase(patient, phase, started_on, by, reason=""):
    Patient.objects.lock(patient.pk)
    change = PhaseChange.objects.create(
        patient=patient, phase=phase, started_on=started_on, changed_by=by, reason=reason
    )
    PatientSummary.objects.refresh(patient)
    refresh_suggestion(patient)
    return change


@transaction.atomic
def accept_or_dismiss(suggestion, accept, by):
    """Accept the suggestion (changing the phase it suggests, if any) or dismiss it."""
    Patient.objects.lock(suggestion.patient_id)
    suggestion.status = Status.ACCEPTED if accept else Status.DISMISSED
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    if accept and suggestion.to_phase:
        change_phase(
            suggestion.patient,
            suggestion.to_phase,
            timezone.localdate(),
            by,
            reason=f"Suggestion accepted: {suggestion.reason}",
        )
    return suggestion


def phase_bands(phases, last_day):
    """Each phase with the days it covered: [{phase, label, from, to}], and the days as the
    page writes them (from_label, to_label)."""
    if not phases:
        return []
    bands = []
    for change, following in zip(phases, phases[1:] + [None], strict=True):
        end = following.started_on if following else last_day
        bands.append(
            {
                "phase": change.phase,
                "label": Phase(change.phase).label,
                "from": change.started_on.isoformat(),
                "to": end.isoformat(),
                "from_label": formats.date_format(change.started_on, DAY),
                "to_label": formats.date_format(end, DAY),
            }
        )
    return bands


def progress(patient):
    """Everything the progress page and report show, from three queries."""
    phases = list(patient.phase_changes.select_related("changed_by"))
    measures = CHART_MEASURES + PEG_ITEMS
    # Rows, not models: the page reads four fields of some 400 readings (5 ms as models).
    readings = list(
        patient.readings.filter(measure__in=measures)
        .order_by("taken_on", "id")
        .values_list("measure", "taken_on", "value", "source", named=True)
    )
    series = {measure: [] for measure in CHART_MEASURES}
    day_format = formats.get_format(DAY)
    labels = {}  # a check-in's day is shared by its measures: written once (400 readings, 2 ms)
    for r in readings:
        if r.measure in series:
            if r.taken_on not in labels:
                labels[r.taken_on] = dateformat.format(r.taken_on, day_format)
            series[r.measure].append(
                {
                    "date": r.taken_on.isoformat(),
                    "label": labels[r.taken_on],
                    "value": float(r.value),
                    "source": r.source,
                }
            )
    today = timezone.localdate()
    baseline = next(
        (r for r in readings if r.source == "intake" and r.measure == "pain_average"), None
    )
    latest = next(
        (r for r in reversed(readings) if r.measure == "pain_average" and r.source != "intake"),
        None,
    )
    change = None
    if baseline and latest:
        change = {
            "points": baseline.value - latest.value,  # positive: better
            "percent": improvement_percent(baseline.value, latest.value),
            "category": responder_category(baseline.value, latest.value),
        }
    chart = {
        "series": series,
        "baseline": float(baseline.value) if baseline else None,
        "lines": {
            "p30": float(baseline.value * Decimal("0.7")) if baseline else None,
            "p50": float(baseline.value * Decimal("0.5")) if baseline else None,
        },
        "phases": phase_bands(phases, today),
        "locale": translation.get_language(),  # for the axis' dates (Intl.DateTimeFormat)
    }
    current = phases[-1] if phases else None
    return {
        "totals": treatment_totals(patient),
        "phases": phases,
        "current": current,
        "days_in_phase": (today - current.started_on).days if current else None,
        "baseline": baseline,
        "latest": latest,
        "change": change,
        "chart": chart,
        "phase_legend": [
            (phase, Phase(phase).label) for phase in sorted({p.phase for p in phases})
        ],
        "readings": readings,
        "course": course_for(patient, readings=readings, phases=phases),
    }


def readings_by_day(readings):
    """One row a date and source, a column a measure: the charts' data as a table."""
    sources = dict(OutcomeReading.Source.choices)
    rows = {}
    for r in readings:
        row = rows.setdefault(
            (r.taken_on, r.source),
            {"date": r.taken_on, "source": r.source, "source_label": sources[r.source]},
        )
        row[r.measure] = r.value
    return list(rows.values())


def treatment_totals(patient):
    """Sessions, needles (bilateral counts two) and adverse events, from the summary."""
    summary = getattr(patient, "summary", None)
    if summary is None:
        return {"sessions": 0, "needles": 0, "adverse_events": 0}
    return {
        "sessions": summary.sessions,
        "needles": summary.needles,
        "adverse_events": summary.adverse_events,
    }
