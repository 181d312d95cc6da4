"""A treatment note's own page, its print view, and its sign and amend buttons."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.transactions import retry_on_conflict
from sessions.access import get_session_for_user
from sessions.forms import AmendmentForm
from sessions.models import SignedSessionError, SigningRefused, StaleDraft

CHANGE = "treatment_sessions.change_treatmentsession"


def refuse(request, patient, error, session=None):
    """The page for what the note refused (`error`, as the note raised or returned it):
    403 when the person may not do it, 409 when the note's state does not allow it."""
    status = 403 if isinstance(error, SigningRefused) else 409
    context = {"patient": patient, "session": session, "reason": " ".join(error.messages)}
    return render(request, "sessions/refused.html", context, status=status)


def session_detail(request, patient_uuid, session_uuid):
    session = get_session_for_user(request, patient_uuid, session_uuid)
    return render_detail(request, session, AmendmentForm())


def render_detail(request, session, amendment_form, status=200):
    context = {
        "session": session,
        "patient": session.patient,
        "warnings": session.warnings(),
        "adverse_events": session.adverse_events.all(),
        "amendments": session.amendments.select_related("author__practitioner_profile"),
        "amendment_form": amendment_form,
        "may_edit": session.may_edit(request.user),
        "just_saved": request.GET.get("saved") == "draft",
    }
    return render(request, "sessions/session_detail.html", context, status=status)


def session_print(request, patient_uuid, session_uuid):
    session = get_session_for_user(request, patient_uuid, session_uuid)
    context = {
        "session": session,
        "patient": session.patient,
        "adverse_events": session.adverse_events.all(),
        "amendments": session.amendments.select_related("author__practitioner_profile"),
    }
    return render(request, "sessions/session_print.html", context)


@require_POST
@retry_on_conflict
def session_sign(request, patient_uuid, session_uuid):
    session = get_session_for_user(request, patient_uuid, session_uuid, CHANGE)
    if refusal := session.edit_refusal(request.user):
        return refuse(request, session.patient, refusal, session)
    try:
        session.sign(by=request.user, version=request.POST.get("version"))
    except SignedSessionError as error:  # signed by a request at the same moment
        return refuse(request, session.patient, error, session)
    except StaleDraft:
        messages.error(request, "This draft was changed after you opened this page: read it "
                       "again and sign when it is right.")  # fmt: skip
        return redirect(session)
    except SigningRefused as refused:
        for message in refused.messages:
            messages.error(request, message)
        messages.error(request, "Open the draft, resolve the above, and sign from there.")
        return redirect(session)
    messages.success(request, f"Session {session.session_number} signed.")
    return redirect(session)


@require_POST
@retry_on_conflict
def session_amend(request, patient_uuid, session_uuid):
    session = get_session_for_user(
        request, patient_uuid, session_uuid, "treatment_sessions.add_amendment"
    )
    if refusal := session.amend_refusal():
        return refuse(request, session.patient, refusal, session)
    form = AmendmentForm(request.POST)
    if not form.is_valid():
        return render_detail(request, session, form, status=400)
    form.instance.session = session
    form.instance.author = request.user
    form.save()
    messages.success(request, "Amendment added.")
    return redirect(session)
