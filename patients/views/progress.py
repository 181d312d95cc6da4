"""A patient's progress through the phases of care: charts, tables, suggestions."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.transactions import retry_on_conflict
from patients.access import get_patient_for_user
from patients.forms import PhaseChangeForm
from patients.models import Phase, PhaseSuggestion
from patients.progress import accept_or_dismiss, change_phase, progress, readings_by_day
from patients.stepper import phase_stepper


def with_any(rows, *measures):
    return [row for row in rows if any(measure in row for measure in measures)]


def context_for(patient, form=None):
    data = progress(patient)
    rows = readings_by_day(data["readings"])
    current = data["current"]
    return {
        "patient": patient,
        **data,
        "stepper": phase_stepper(current and current.phase, current and current.started_on),
        "pain_rows": with_any(rows, "pain_average", "session_pain_before", "session_pain_after"),
        "function_rows": with_any(rows, "peg", "psfs", "confidence"),
        "activity_rows": with_any(rows, "active_minutes"),
        "suggestion": patient.phase_suggestions.filter(status=PhaseSuggestion.Status.OPEN).first(),
        "form": form or PhaseChangeForm(patient=patient),
    }


def patient_progress(request, patient_uuid):
    patient = get_patient_for_user(request, patient_uuid)
    return render(request, "patients/progress.html", context_for(patient))


@require_POST
@retry_on_conflict
def phase_change(request, patient_uuid):
    patient = get_patient_for_user(request, patient_uuid, perm="patients.add_phasechange")
    if not patient.phase_changes.exists():
        messages.error(request, "The course starts when the intake is accepted.")
        return redirect("patients:progress", patient_uuid=patient.uuid)
    form = PhaseChangeForm(request.POST, patient=patient)
    if not form.is_valid():
        return render(request, "patients/progress.html", context_for(patient, form), status=400)
    data = form.cleaned_data
    change_phase(patient, data["phase"], data["started_on"], request.user, data["reason"])
    messages.success(request, f"Phase changed to {Phase(data['phase']).label.lower()}.")
    return redirect("patients:progress", patient_uuid=patient.uuid)


@require_POST
@retry_on_conflict
def decide_suggestion(request, patient_uuid, suggestion_id, accept):
    patient = get_patient_for_user(request, patient_uuid, perm="patients.add_phasechange")
    suggestion = get_object_or_404(
        PhaseSuggestion, pk=suggestion_id, patient=patient, status=PhaseSuggestion.Status.OPEN
    )
    accept_or_dismiss(suggestion, accept=accept, by=request.user)
    messages.success(request, "Suggestion accepted." if accept else "Suggestion dismissed.")
    if request.POST.get("next") == "detail":
        return redirect(patient)
    return redirect("patients:progress", patient_uuid=patient.uuid)
