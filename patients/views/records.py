from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from clinic import audit
from clinic.models import AuditEvent
from patients.access import get_patient_for_user
from patients.forms import PatientFilterForm, PatientForm, SafetyFlagsForm
from patients.models import Patient

PAGE_SIZE = 25


@permission_required("patients.view_patient", raise_exception=True)
def patient_list(request):
    form = PatientFilterForm(request.GET or None)
    patients = Patient.objects.for_list()
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        patients = patients.none()
    elif form.is_bound:
        patients = form.filter(patients)
    else:
        patients = patients.exclude(status=Patient.Status.ARCHIVED)
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record(
        AuditEvent.Action.LIST,
        detail=f"patients: {len(page.object_list)} on page {page.number}",
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "patients/patient_list.html", context, status=status)


TIMELINE_PAGE_SIZE = 10
RECENT_CHECKINS = 8


def patient_detail(request, patient):
    patient = get_patient_for_user(request, patient)
    summary = getattr(patient, "summary", None)  # None until the first write of a course
    timeline = Paginator(patient.treatment_sessions.for_timeline(), TIMELINE_PAGE_SIZE)
    timeline.count = summary.sessions if summary else 0  # kept with every note: no COUNT
    context = {
        "patient": patient,
        "sessions": timeline.get_page(request.GET.get("page")),
        "checkins": patient.checkins.order_by("-taken_on")[:RECENT_CHECKINS],
        "intakes": patient.intakes.exclude(status="started").select_related("red_flag_review"),
        "links": patient.links.order_by("-created_at")[:10],
        "summary": summary,
        "suggestion": patient.phase_suggestions.filter(status="open").first(),
        "changes": patient.history.select_related("history_user")[:6],
    }
    return render(request, "patients/patient_detail.html", context)


@permission_required("patients.add_patient", raise_exception=True)
def patient_create(request):
    initial = {}
    if hasattr(request.user, "practitioner_profile"):
        initial["practitioner"] = request.user
    form = PatientForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        patient = form.save()
        messages.success(request, f"{patient.full_name} was added.")
        return redirect(patient)
    status = 400 if form.is_bound else 200
    context = {"form": form, "title": "New patient"}
    return render(request, "patients/patient_form.html", context, status=status)


def patient_edit(request, patient):
    patient = get_patient_for_user(request, patient, perm="patients.change_patient")
    form = PatientForm(request.POST if request.method == "POST" else None, instance=patient)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            form.save()
            messages.success(request, "Changes saved.")
        return redirect(patient)
    status = 400 if form.is_bound else 200
    context = {"form": form, "patient": patient, "title": f"Edit {patient.full_name}"}
    return render(request, "patients/patient_form.html", context, status=status)


def patient_archive(request, patient):
    patient = get_patient_for_user(request, patient, perm="patients.change_patient")
    if request.method == "POST":
        patient.archive()
        messages.success(request, f"{patient.full_name} was archived.")
        return redirect(patient)
    return render(request, "patients/patient_archive.html", {"patient": patient})


@require_POST
def patient_restore(request, patient):
    patient = get_patient_for_user(request, patient, perm="patients.change_patient")
    if patient.is_archived:
        patient.restore()
        messages.success(request, f"{patient.full_name} was restored.")
    return redirect(patient)


def patient_safety(request, patient):
    patient = get_patient_for_user(request, patient, perm="patients.change_patient")
    form = SafetyFlagsForm(request.POST if request.method == "POST" else None, instance=patient)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            form.save()
            messages.success(request, "Safety flags saved.")
        return redirect(patient)
    status = 400 if form.is_bound else 200
    return render(
        request, "patients/safety_form.html", {"form": form, "patient": patient}, status=status
    )
