"""The treatment note's form: a new note (begun from the last one) or a draft's edit,
saved as a draft or saved and signed, with the point picker and protocols."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone

from core.forms import shown
from core.transactions import retry_on_conflict
from patients.access import get_patient_for_user
from patients.models import Limb
from sessions import safety
from sessions.access import get_session_for_user
from sessions.actions import save_session
from sessions.forms import (
    AdverseEventFormSet,
    SessionForm,
    point_formset_class,
)
from sessions.models import (
    AcupuncturePoint,
    Protocol,
    SessionConflict,
    SessionPoint,
    SignedSessionError,
    SigningRefused,
    StaleDraft,
    TreatmentSession,
    typed_codes,
)
from sessions.story import UNKNOWN, story
from sessions.views.notes import CHANGE, refuse
from sessions.views.points import point_json

BLANK_POINT_ROWS = 3
MAX_POINT_ROWS = 200  # more points than any session has; the formset refuses more too


@retry_on_conflict
def session_new(request, patient_uuid):
    patient = get_patient_for_user(request, patient_uuid, "treatment_sessions.add_treatmentsession")
    try:
        session, last = TreatmentSession.start(patient, practitioner=request.user)
    except SessionConflict as refusal:
        return refuse(request, patient, refusal)
    point_rows = [] if last is None else [
        {"point": row.point.code, "side": row.side, "needles_per_side": row.needles_per_side,
         "depth_mm": row.depth_mm, "manual_technique": row.manual_technique,
         "needle_diameter_mm": row.needle_diameter_mm, "needle_length_mm": row.needle_length_mm}
        for row in last.points.all()
    ]  # fmt: skip
    return edit_session(request, session, point_rows, repeated=last)


@retry_on_conflict
def session_edit(request, patient_uuid, session_uuid):
    session = get_session_for_user(request, patient_uuid, session_uuid, CHANGE)
    if refusal := session.edit_refusal(request.user):
        return refuse(request, session.patient, refusal, session)
    return edit_session(request, session, [])


def edit_session(request, session, point_rows, repeated=None):
    patient = session.patient
    started_at = session.started_at  # as stored: the form's changes to it come later
    protocols = list(Protocol.objects.for_user(request.user))
    data = request.POST if request.method == "POST" else None
    action = request.POST.get("action", "")
    if action == "add_protocol":
        data = with_protocol_points(request.POST, request.POST.get("protocol"), protocols)
    PointFormSet = point_formset_class(extra=len(point_rows) + BLANK_POINT_ROWS)
    form = SessionForm(data, instance=session)
    known = [row.point for row in repeated.points.all()] if repeated else []  # no query
    points = PointFormSet(data, instance=session, prefix="points",
                          initial=point_rows if data is None else None, points=known)  # fmt: skip
    adverse_events = AdverseEventFormSet(data, instance=session, prefix="adverse")
    status = 400
    cautions, acknowledged = session.cautions(), session.acknowledged_keys()
    version = request.POST.get("version", session.version) if data is not None else session.version
    # Another tab saved this draft since this one opened it: keep what was typed, say so.
    stale = data is not None and session.pk is not None and version != session.version
    if data is not None and action in ("draft", "sign"):
        valid = form.is_valid() and points.is_valid() and adverse_events.is_valid()
        if stale:
            stored = TreatmentSession.objects.get(pk=session.pk)
            status, version = 409, stored.version
            report_conflict(form, points, stored)
        elif valid:
            # The note's rules, asked before anything is written: each reason by its field.
            chosen = points.chosen_point_sides()
            cautions = session.cautions(chosen)
            try:
                session.check_may_save(chosen, form.cleaned_data["acknowledge"])
            except SigningRefused as refused:
                form.add_error(None, refused.by_field(form.fields))
        if not form.errors and valid:
            try:
                session = save_session(
                    form, points, adverse_events, version=version, by=request.user
                )
            except SignedSessionError as error:
                return refuse(request, patient, error, session)
            except StaleDraft as conflict:  # saved elsewhere while this save waited
                status, version = 409, conflict.stored.version
                report_conflict(form, points, conflict.stored)
            except SigningRefused as refused:  # the patient's flags changed meanwhile
                form.add_error(None, refused.by_field(form.fields))
            else:
                messages.success(request, f"Draft of session {session.session_number} saved.")
                if action == "sign":  # the sign review, before the note locks
                    return redirect("sessions:sign", patient_uuid=patient.uuid,
                                    session_uuid=session.uuid)  # fmt: skip
                return redirect(session.get_absolute_url() + "?saved=draft")
    if data is not None:  # the boxes as they were posted, whatever else was wrong
        acknowledged = set(data.getlist("acknowledge"))
    # A new note knows the patient's latest (it repeats it), an edited one does not.
    latest = repeated if session.pk is None else UNKNOWN
    told = story(patient, started_at, session.pk, latest)
    # A repeat visit opens the SOAP notes: today's note is written against the last one.
    opened = {"soap"} if told["note"] else set()
    context = {
        "patient": patient, "session": session, "form": form, "points": points,
        "sections": form.sections(opened), "adverse_events": adverse_events, "story": told,
        "protocols": protocols, "protocol_data": protocol_data(protocols),
        "repeated": repeated, "cautions": cautions, "acknowledged": acknowledged,
        "version": version, "conflict": status == 409,
        "patient_flags": {
            "pregnant": patient.pregnant,
            "implanted_device": patient.implanted_device,
            "epilepsy": patient.epilepsy,
            "lymphoedema": lymphoedema(patient),
        },
        "picker_safety": {
            "flags": AcupuncturePoint.safety_flag_labels(),
            "messages": safety.PICKER_MESSAGES,
            "keys": safety.KEYS,
            "conditions": [
                {"key": w.key, "message": w.message}
                for w in safety.cautions(safety.review(patient, [], electrical=False))
            ],
        },
    }  # fmt: skip
    bad = data is not None and (action in ("draft", "sign") or management_broken(points))
    return render(request, "sessions/session_form.html", context, status=status if bad else 200)


def lymphoedema(patient):
    """The limb with lymphoedema, for the picker: its limb ("arm"), side ("L", "R" or "B")
    and the names of its sides ({"L": "left arm", ...}); None without one."""
    if not patient.lymphoedema_limb:
        return None
    limb = Limb(patient.lymphoedema_limb)
    names = {side: safety.LIMB_NAMES[(limb.limb, side)] for side in ("L", "R", "B")}
    return {"limb": limb.limb, "side": limb.side, "names": names}


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
        (code, data.get(f"{prefix}-{i}-side"))
        for i in range(total)
        if not data.get(f"{prefix}-{i}-DELETE")
        for code in typed_codes(data.get(f"{prefix}-{i}-point", ""))
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
