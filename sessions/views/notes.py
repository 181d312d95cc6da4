"""A treatment note's own page, its print view, and its sign and amend buttons."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.transactions import retry_on_conflict
from sessions.access import get_session_for_user
from sessions.forms import AmendmentForm, SignForm
from sessions.models import SignedSessionError, SigningRefused, StaleDraft
from sessions.models.signing import MISSING_FIELD
from sessions.safety import ACKNOWLEDGE_FIELD

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
    acknowledgements = list(
        session.acknowledgements.select_related("acknowledged_by__practitioner_profile")
    )
    acknowledged = {ack.caution for ack in acknowledgements}
    context = {
        "session": session,
        "patient": session.patient,
        "warnings": [(w, w.key in acknowledged) for w in session.warnings()],
        "adverse_events": session.adverse_events.all(),
        "amendments": session.amendments.select_related("author__practitioner_profile"),
        "amendment_form": amendment_form,
        "may_edit": session.may_edit(request.user),
        "just_saved": request.GET.get("saved") == "draft",
        "acknowledgements": acknowledgements,
    }
    return render(request, "sessions/session_detail.html", context, status=status)


def session_print(request, patient_uuid, session_uuid):
    session = get_session_for_user(request, patient_uuid, session_uuid)
    context = {
        "session": session,
        "patient": session.patient,
        "adverse_events": session.adverse_events.all(),
        "amendments": session.amendments.select_related("author__practitioner_profile"),
        "acknowledgements": session.acknowledgements.select_related(
            "acknowledged_by__practitioner_profile"
        ),
    }
    return render(request, "sessions/session_print.html", context)


@retry_on_conflict
def session_sign(request, patient_uuid, session_uuid):
    """The sign review (GET), and the sign itself (POST): the points and needle count, each
    caution with its acknowledgement box, what STRICTA expects and the note lacks (each
    signed past knowingly), and what no box lifts (then there is no Sign button)."""
    session = get_session_for_user(request, patient_uuid, session_uuid, CHANGE)
    if refusal := session.edit_refusal(request.user):
        return refuse(request, session.patient, refusal, session)
    form = SignForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                session.sign(
                    by=request.user,
                    version=form.cleaned_data["version"] or None,
                    acknowledged=form.cleaned_data["acknowledge"],
                    signed_with=form.signed_with(session),
                )
            except SignedSessionError as error:  # signed by a request at the same moment
                return refuse(request, session.patient, error, session)
            except StaleDraft as conflict:
                session, status = conflict.stored, 409
                form.add_error(None, "This draft was changed after you opened this review: "
                               "read it again and sign when it is right.")  # fmt: skip
            except SigningRefused as refused:
                form.add_error(None, summary(refused))
            else:
                messages.success(request, f"Session {session.session_number} signed.")
                return redirect(session)
    return render_sign_review(request, session, form, status)


CAUTIONS_LEFT = "Acknowledge each caution marked below ({count} left)."
MISSING_LEFT = (
    "The note lacks what is listed under “Missing from the note”: tick the box to sign "
    "without it, or add it to the draft."
)


def summary(refused):
    """What the sign review says above its boxes when a sign is refused: each refusal in
    full, the cautions and the missing items by their boxes (which mark themselves)."""
    fields = [field for field, _ in refused.problems]
    messages = [m for f, m in refused.problems if f not in (ACKNOWLEDGE_FIELD, MISSING_FIELD)]
    if count := fields.count(ACKNOWLEDGE_FIELD):
        messages.append(CAUTIONS_LEFT.format(count=count))
    if MISSING_FIELD in fields:
        messages.append(MISSING_LEFT)
    return messages


def render_sign_review(request, session, form, status):
    ticked = set(form.data.getlist("acknowledge")) if form.is_bound else set()
    stored = {ack.caution: ack for ack in session.acknowledgements.select_related(
        "acknowledged_by__practitioner_profile")}  # fmt: skip
    cautions = [(c, stored.get(c.key), c.key in ticked) for c in session.cautions()]
    missing = [what for _, what in session.missing_details()]
    # The keyboard starts at the first box still to tick, else at the Sign button.
    open_keys = [caution.key for caution, acknowledged, _ in cautions if not acknowledged]
    first_box = open_keys[0] if open_keys else ("missing" if missing else "sign")
    context = {
        "session": session,
        "patient": session.patient,
        "form": form,
        "refusals": [message for _, message in session.refusals(request.user)],
        "cautions": cautions,
        "first_box": first_box,
        "missing": missing,
        "signed_past": form.is_bound and "sign_past_missing" in form.data,
        "posted": form.is_bound,
    }
    return render(request, "sessions/sign_review.html", context, status=status)


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
