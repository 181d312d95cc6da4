from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit import trail
from audit.models import AuditEvent
from core.transactions import retry_on_conflict
from patients.access import get_patient_for_user
from patients.forms import PatientFilterForm, PatientForm, SafetyFlagsForm
from patients.models import OutcomeReading, Patient, PatientSummary
from patients.models.reminders import reminder_status
from patients.progress import refresh_suggestion
from patients.stepper import phase_stepper

PAGE_SIZE = 25


@permission_required("patients.view_patient", raise_exception=True)
def patient_list(request):
    form = PatientFilterForm(request.GET or None)
    patients = Patient.objects.for_list().with_last_visit()
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
        patients = patients.none()
    elif form.is_bound:
        patients = form.ordered(form.filter(patients))
    else:
        patients = patients.exclude(status=Patient.Status.ARCHIVED)
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    pain = OutcomeReading.objects.recent_pain([patient.pk for patient in page.object_list])
    rows = [(patient, sparkline(pain.get(patient.pk, []))) for patient in page.object_list]
    shown = "patient search" if form.is_bound and form.data.get("q") else "patients"
    trail.record_shown(
        AuditEvent.Action.LIST,
        page.object_list,
        detail=f"{shown}: {len(page.object_list)} on page {page.number}",
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    sorts = {}  # the column headers' links: by name, by last visit (newest first)
    for key, sort in (("name", "name"), ("recent", "-last_visit")):
        query["sort"] = sort
        sorts[key] = query.urlencode()
    query.pop("sort", None)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("sort"):
        query["sort"] = form.cleaned_data["sort"]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "sorts": sorts,
        "sort": form.cleaned_data.get("sort", "") if form.is_bound and form.is_valid() else "",
    }
    return render(request, "patients/patient_list.html", context, status=status)


def sparkline(values):
    """A small line of average pain (0-10, higher up is worse) for the list: the points of
    an SVG polyline 80 x 24, and the values as words for a screen reader; None for fewer
    than two readings."""
    if len(values) < 2:
        return None
    step = 76 / (len(values) - 1)
    points = " ".join(f"{2 + n * step:.1f},{22 - float(v) * 2:.1f}" for n, v in enumerate(values))
    words = ", ".join(f"{v.normalize():f}" for v in values)
    return {"points": points, "label": f"Average pain, oldest to latest: {words}"}


TIMELINE_PAGE_SIZE = 10
# No patient has this many pages of sessions; the OFFSET of a page past it would overflow
# the database's integers.
TIMELINE_LAST_PAGE = 2**31
RECENT_CHECKINS = 8


def timeline_page(sessions, number):
    """A page of the session timeline. Its query also counts the patient's sessions (a
    window over them), so the pagination needs no COUNT of its own."""
    paginator = Paginator(sessions, TIMELINE_PAGE_SIZE)
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    if not 1 <= number <= TIMELINE_LAST_PAGE:
        return paginator.get_page(number)  # out of range: Django's way, to the last page
    start = (number - 1) * TIMELINE_PAGE_SIZE
    counted = sessions.annotate(total=Window(Count("pk")))
    rows = list(counted[start : start + TIMELINE_PAGE_SIZE])
    if not rows and number > 1:
        return paginator.get_page(number)  # past the end: to the last page
    paginator.count = rows[0].total if rows else 0
    return Page(rows, number, paginator)


def patient_detail(request, patient_uuid):
    patient = get_patient_for_user(request, patient_uuid)
    context = {
        "patient": patient,
        "summary": getattr(patient, "summary", None),
        "sessions": timeline_page(
            patient.treatment_sessions.for_timeline(), request.GET.get("page")
        ),
        "checkins": patient.checkins.order_by("-taken_on")[:RECENT_CHECKINS],
        "intakes": patient.intakes.exclude(status="started").select_related("red_flag_review"),
        "links": patient.links.order_by("-created_at")[:10],
        "suggestion": patient.phase_suggestions.filter(status="open").first(),
        "reminders": reminder_status(patient),
        "changes": patient.history.select_related("history_user")[:6],
        "stepper": phase_stepper(
            getattr(patient, "summary", None) and patient.summary.phase,
            getattr(patient, "summary", None) and patient.summary.phase_started_on,
        ),
    }
    return render(request, "patients/patient_detail.html", context)


@permission_required("patients.add_patient", raise_exception=True)
@retry_on_conflict
def patient_create(request):
    initial = {}
    if hasattr(request.user, "practitioner_profile"):
        initial["practitioner"] = request.user
    form = PatientForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        patient = form.save_unless_duplicate()
        if patient is not None:
            PatientSummary.objects.refresh(patient)
            messages.success(request, f"{patient.full_name} was added.")
            return redirect(patient)
    status = 400 if form.is_bound else 200
    context = {"form": form, "title": "New patient"}
    return render(request, "patients/patient_form.html", context, status=status)


@retry_on_conflict
def patient_edit(request, patient_uuid):
    return edit_record(
        request, patient_uuid, PatientForm, PatientForm.save_unless_duplicate,
        "patients/patient_form.html", "Changes saved.",
    )  # fmt: skip


@retry_on_conflict
def patient_archive(request, patient_uuid):
    patient = get_patient_for_user(request, patient_uuid, perm="patients.change_patient")
    if request.method == "POST":
        Patient.objects.lock(patient.pk)
        patient.archive()
        PatientSummary.objects.refresh(patient)
        refresh_suggestion(patient)  # an archived patient has none waiting
        messages.success(request, f"{patient.full_name} was archived.")
        return redirect(patient)
    return render(request, "patients/patient_archive.html", {"patient": patient})


@require_POST
@retry_on_conflict
def patient_restore(request, patient_uuid):
    patient = get_patient_for_user(request, patient_uuid, perm="patients.change_patient")
    if patient.is_archived:
        Patient.objects.lock(patient.pk)
        patient.restore()
        PatientSummary.objects.refresh(patient)
        refresh_suggestion(patient)
        messages.success(request, f"{patient.full_name} was restored.")
    return redirect(patient)


@retry_on_conflict
def patient_safety(request, patient_uuid):
    return edit_record(
        request, patient_uuid, SafetyFlagsForm, SafetyFlagsForm.save,
        "patients/safety_form.html", "Safety flags saved.",
    )  # fmt: skip


def edit_record(request, patient_uuid, form_class, save, template, saved):
    """A form on the patient's own record: checked for a stale page (409) and saved under the
    patient's lock; `save(form)` returns None if it refused (its error is on the form)."""
    patient = get_patient_for_user(request, patient_uuid, perm="patients.change_patient")
    if request.method == "POST":
        Patient.objects.lock(patient.pk)
    form = form_class(request.POST if request.method == "POST" else None, instance=patient)
    if request.method == "POST" and form.is_valid():
        if not form.has_changed():
            return redirect(patient)
        if save(form) is not None:
            PatientSummary.objects.refresh(patient)  # its status and practitioner
            if "status" in form.changed_data:
                refresh_suggestion(patient)  # none waits for a patient not in care
            messages.success(request, saved)
            return redirect(patient)
    status = (409 if form.stale else 400) if form.is_bound else 200
    context = {"form": form, "patient": patient, "title": f"Edit {patient.full_name}"}
    return render(request, template, context, status=status)
