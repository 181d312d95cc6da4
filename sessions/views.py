from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.forms import shown
from core.transactions import retry_on_conflict
from patients.access import get_patient_for_user
from sessions import safety
from sessions.access import get_session_for_user
from sessions.actions import save_note
from sessions.forms import (
    AdverseEventFormSet,
    AmendmentForm,
    SessionForm,
    apply_safety,
    canonical_code,
    point_formset_class,
)
from sessions.models import AcupuncturePoint, Protocol, SessionPoint, TreatmentSession
from sessions.models.notes import (
    SignedNoteError,
    SigningRefused,
    StaleDraft,
    default_side,
)

BLANK_POINT_ROWS = 3
MAX_POINT_ROWS = 200  # more points than any session has; the formset refuses more too
CHANGE = "treatment_sessions.change_treatmentsession"


def refuse(request, patient, reason, status, note=None):
    context = {"patient": patient, "note": note, "reason": reason}
    return render(request, "sessions/refused.html", context, status=status)


@permission_required("treatment_sessions.view_acupuncturepoint", raise_exception=True)
def point_search(request):
    """Type-ahead for the point picker: at most 20 points, exact code first."""
    points = AcupuncturePoint.objects.search(request.GET.get("q", "")[:50])
    return JsonResponse({"points": [point_json(point) for point in points]})


def point_json(point):
    return {
        "code": point.code,
        "pinyin": point.pinyin,
        "channel": point.channel_name,
        "region": point.get_region_display(),
        "side": default_side(point),
        "flags": point.safety_flags,
    }


@retry_on_conflict
def session_new(request, patient):
    patient = get_patient_for_user(request, patient, "treatment_sessions.add_treatmentsession")
    if patient.is_archived:
        reason = "This patient is archived. Restore the record before logging a session."
        return refuse(request, patient, reason, status=409)
    last = patient.treatment_sessions.with_points().order_by("-started_at", "-id").first()
    note = TreatmentSession(patient=patient, practitioner=request.user)
    copy_treatment(
        source=last, profile=getattr(request.user, "practitioner_profile", None), to=note
    )
    point_rows = [] if last is None else [
        {"point": row.point.code, "side": row.side, "depth_mm": row.depth_mm,
         "manual_technique": row.manual_technique}
        for row in last.points.all()
    ]  # fmt: skip
    return edit_note(request, note, point_rows, repeated=last)


@retry_on_conflict
def session_edit(request, patient, session):
    note = get_session_for_user(request, patient, session, CHANGE)
    if refusal := note.edit_refusal(request.user):
        return refuse(request, note.patient, refusal, 409 if note.is_signed else 403, note)
    return edit_note(request, note, [])


def copy_treatment(source, profile, to):
    """Start a note from the last session ("repeat last treatment") or the practitioner's
    defaults."""
    if source is not None:
        for name in [
            "style",
            "needle_diameter_mm",
            "needle_length_mm",
            "needle_material",
            "depth_mm",
            "retention_minutes",
            "manual_technique",
            "electrical",
            "electro_frequency_hz",
            "electro_intensity",
            "electro_waveform",
            "response_sought",
            "pattern_diagnosis",
            "treatment_principle",
        ]:
            setattr(to, name, getattr(source, name))
    elif profile is not None:
        to.style = profile.acupuncture_style
        to.needle_diameter_mm = profile.default_needle_diameter_mm
        to.needle_length_mm = profile.default_needle_length_mm
        to.retention_minutes = profile.default_retention_minutes
    # fmt: skip


def edit_note(request, note, point_rows, repeated=None):
    patient = note.patient
    protocols = list(Protocol.objects.for_user(request.user))
    data = request.POST if request.method == "POST" else None
    action = request.POST.get("action", "")
    if action == "add_protocol":
        data = with_protocol_points(request.POST, request.POST.get("protocol"), protocols)
    PointFormSet = point_formset_class(extra=len(point_rows) + BLANK_POINT_ROWS)
    form = SessionForm(data, instance=note)
    points = PointFormSet(data, instance=note, prefix="points",
                          initial=point_rows if data is None else None)  # fmt: skip
    adverse_events = AdverseEventFormSet(data, instance=note, prefix="adverse")
    warnings, status = [], 400
    version = request.POST.get("version", note.version) if data is not None else note.version
    # Another tab saved this draft since this one opened it: keep what was typed, say so.
    stale = data is not None and note.pk is not None and version != note.version
    if data is not None and action in ("draft", "sign"):
        valid = form.is_valid() and points.is_valid() and adverse_events.is_valid()
        if stale:
            stored = TreatmentSession.objects.get(pk=note.pk)
            status, version = 409, stored.version
            report_conflict(form, points, stored)
        elif valid:
            warnings = apply_safety(form, points, action == "sign")
        if not form.errors and valid:
            sign_by = request.user if action == "sign" else None
            try:
                note = save_note(form, points, adverse_events, version=version, sign_by=sign_by)
            except SignedNoteError as error:
                return refuse(request, patient, error.message, 409, note)
            except StaleDraft as conflict:  # saved elsewhere while this save waited
                status, version = 409, conflict.stored.version
                report_conflict(form, points, conflict.stored)
            except SigningRefused as refused:
                for message in refused.messages:
                    form.add_error(None, message)
            else:
                if sign_by:
                    messages.success(request, f"Session {note.session_number} saved and signed.")
                else:
                    messages.success(request, f"Draft of session {note.session_number} saved.")
                return redirect(note.get_absolute_url() + ("" if sign_by else "?saved=draft"))
    context = {
        "patient": patient, "note": note, "form": form, "points": points,
        "sections": form.sections(), "adverse_events": adverse_events,
        "protocols": protocols, "protocol_data": protocol_data(protocols),
        "repeated": repeated, "reminders": [w for w in warnings if w.level == safety.REMIND],
        "version": version, "conflict": status == 409,
        "patient_flags": {
            "pregnant": patient.pregnant,
            "implanted_device": patient.implanted_device,
            "epilepsy": patient.epilepsy,
        },
    }  # fmt: skip
    bad = data is not None and (action in ("draft", "sign") or management_broken(points))
    return render(request, "sessions/session_form.html", context, status=status if bad else 200)


def report_conflict(form, points, stored):
    """Tell a person whose tab was stale what the saved draft says, field by field, and
    keep what they typed (the bound form shows it)."""
    for name in form.changed_fields_against(stored):
        form.add_error(name, f"Saved meanwhile as: {shown(stored, name)}")
    stored_points = sorted(str(row) for row in stored.points.select_related("point"))
    posted_points = sorted(
        str(SessionPoint(point=point, side=side or ""))
        for point, side in points.chosen_point_sides()
    )
    differs = ""
    if stored_points != posted_points:
        differs = f" Its points are: {', '.join(stored_points) or 'none'}."
    when = timezone.localtime(stored.updated_at).strftime("%H:%M")
    form.add_error(None, (
        f"This draft was saved elsewhere (another tab or window) at {when}, after you opened "
        f"it.{differs} Your version is below and has not been saved; under each field that "
        "differs is what was saved. Save again to keep yours."
    ))  # fmt: skip


def management_broken(formset):
    """A crafted or garbled count of rows: the form is shown again with a 400."""
    form = formset.management_form
    return not form.is_valid() or not 0 <= form.cleaned_data["TOTAL_FORMS"] <= MAX_POINT_ROWS


def with_protocol_points(post, protocol_id, protocols):
    """The posted form with a protocol's points added as new rows (the no-JavaScript path)."""
    data = post.copy()
    protocol = next((p for p in protocols if str(p.pk) == protocol_id), None)
    if protocol is None:
        return data
    prefix = "points"
    try:
        total = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        return data  # the formset reports its broken management form
    if not 0 <= total <= MAX_POINT_ROWS:
        return data
    present = {
        (canonical_code(data.get(f"{prefix}-{i}-point", "")), data.get(f"{prefix}-{i}-side"))
        for i in range(total)
        if not data.get(f"{prefix}-{i}-DELETE")
    }
    used = [i for i in range(total) if data.get(f"{prefix}-{i}-point")]
    index = (max(used) + 1) if used else 0
    for row in protocol.points.all():
        if (row.point.code, row.side) in present:
            continue
        data[f"{prefix}-{index}-point"] = row.point.code
        data[f"{prefix}-{index}-side"] = row.side
        index += 1
    data[f"{prefix}-TOTAL_FORMS"] = str(max(total, index + BLANK_POINT_ROWS))
    return data


def protocol_data(protocols):
    return [
        {"id": p.pk, "name": p.name, "points": [
            {**point_json(row.point), "side": row.side} for row in p.points.all()
        ]}
        for p in protocols
    ]  # fmt: skip


def session_detail(request, patient, session):
    note = get_session_for_user(request, patient, session)
    return render_detail(request, note, AmendmentForm())


def render_detail(request, note, amendment_form, status=200):
    context = {
        "note": note,
        "patient": note.patient,
        "warnings": note.warnings(),
        "adverse_events": note.adverse_events.all(),
        "amendments": note.amendments.select_related("author__practitioner_profile"),
        "amendment_form": amendment_form,
        "may_edit": note.may_edit(request.user),
        "just_saved": request.GET.get("saved") == "draft",
    }
    return render(request, "sessions/session_detail.html", context, status=status)


def session_print(request, patient, session):
    note = get_session_for_user(request, patient, session)
    context = {
        "note": note,
        "patient": note.patient,
        "adverse_events": note.adverse_events.all(),
        "amendments": note.amendments.select_related("author__practitioner_profile"),
    }
    return render(request, "sessions/session_print.html", context)


@require_POST
@retry_on_conflict
def session_sign(request, patient, session):
    note = get_session_for_user(request, patient, session, CHANGE)
    if refusal := note.edit_refusal(request.user):
        return refuse(request, note.patient, refusal, 409 if note.is_signed else 403, note)
    try:
        note.sign(by=request.user, version=request.POST.get("version"))
    except SignedNoteError as error:  # signed by a request at the same moment
        return refuse(request, note.patient, error.message, 409, note)
    except StaleDraft:
        messages.error(request, "This draft was changed after you opened this page: read it "
                       "again and sign when it is right.")  # fmt: skip
        return redirect(note)
    except SigningRefused as refused:
        for message in refused.messages:
            messages.error(request, message)
        messages.error(request, "Open the draft, resolve the above, and sign from there.")
        return redirect(note)
    messages.success(request, f"Session {note.session_number} signed.")
    return redirect(note)


@require_POST
@retry_on_conflict
def session_amend(request, patient, session):
    note = get_session_for_user(request, patient, session, "treatment_sessions.add_amendment")
    if not note.is_signed:
        return refuse(request, note.patient, "A draft is edited, not amended.", 409, note)
    form = AmendmentForm(request.POST)
    if not form.is_valid():
        return render_detail(request, note, form, status=400)
    form.instance.session = note
    form.instance.author = request.user
    form.save()
    messages.success(request, "Amendment added.")
    return redirect(note)
