"""The intake, filled in by the patient through their link: one step a page, each step
saved as they go, a review page, then submit."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from audit import trail
from audit.models import AuditEvent
from core.transactions import retry_on_conflict
from patients import bodymap
from patients.actions import IntakeIncomplete, submit_intake
from patients.forms import step_form
from patients.intake_summary import review_sections
from patients.models import ConsentVersion, Intake, PatientLink, token_hash
from patients.models.intake import STEP_KEYS, STEP_TITLES, URGENT_FLAGS
from patients.ratelimit import rate_limited
from patients.views.public import link_not_working, link_or_none


def open_intake(request, token):
    """The link's intake, started on first use, or None when the link does not work."""
    link = link_or_none(request, token, PatientLink.Purpose.INTAKE)
    if link is None or link.patient.is_archived:
        return None
    intake, _ = Intake.objects.get_or_create(link=link, defaults={"patient": link.patient})
    return intake if intake.status == Intake.Status.STARTED else None


# How long the intake takes, for the welcome page: the phone test's taps (about 40) and
# typed characters (about 170) at a few seconds a tap and a second a character, plus
# reading some 50 questions (tests/patients/test_browser_phone_intake.py).
INTAKE_MINUTES = "8"


def step_url(token, step):
    return reverse("intake:step", kwargs={"token": token, "step": step})


@login_not_required
@never_cache
@rate_limited
def intake_start(request, token):
    intake = open_intake(request, token)
    if intake is None:
        return link_not_working(request)
    if intake.all_answered:
        return redirect("intake:review", token=token)
    if intake.answers:  # back again: where they left off
        return redirect(step_url(token, intake.step))
    trail.record(AuditEvent.Action.VIEW, intake, detail="intake welcome page")
    context = {
        "first_step": step_url(token, intake.step),
        "steps": len(STEP_KEYS),
        "minutes": INTAKE_MINUTES,
        "expires_at": intake.link.expires_at,
    }
    return render(request, "public/intake/welcome.html", context)


@login_not_required
@never_cache
@rate_limited
@retry_on_conflict
def intake_step(request, token, step):
    if step not in STEP_KEYS:
        raise Http404
    intake = open_intake(request, token)
    if intake is None:
        return link_not_working(request)
    consent = ConsentVersion.current() if step == "consent" else None
    data = request.POST if request.method == "POST" else None
    form = step_form(intake, step, data, consent=consent)
    status = 200
    if data is None:
        trail.record(AuditEvent.Action.VIEW, intake, detail=f"intake step: {step}")
    elif form.is_valid():
        intake.save_answer(step, form.cleaned_data)  # audited as it saves
        if step == STEP_KEYS[-1] or request.POST.get("then") == "review":
            return redirect("intake:review", token=token)
        return redirect(step_url(token, intake.step))
    else:
        intake.save_draft(step, form.draft())
        status = 400
    index = STEP_KEYS.index(step)
    context = {
        "token": token,
        "step": step,
        "title": STEP_TITLES[step],
        "number": index + 1,
        "total": len(STEP_KEYS),
        "percent": round(100 * index / len(STEP_KEYS)),
        "previous": STEP_KEYS[index - 1] if index else None,
        "form": form,
        "consent": consent,
        "bodymap_front": bodymap.FRONT,
        "bodymap_back": bodymap.BACK,
        "urgent_flags": URGENT_FLAGS,
        "all_answered": intake.all_answered,
    }
    return render(request, f"public/intake/step_{step}.html", context, status=status)


@login_not_required
@never_cache
@rate_limited
def intake_review(request, token):
    intake = open_intake(request, token)
    if intake is None:
        return link_not_working(request)
    trail.record(AuditEvent.Action.VIEW, intake, detail="intake review page")
    context = {
        "token": token,
        "sections": review_sections(intake.answers),  # dates as the app writes them
        "missing": [(step, STEP_TITLES[step]) for step in intake.missing_steps()],
        "urgent": intake.answered_urgent(),
    }
    return render(request, "public/intake/review.html", context)


@login_not_required
@require_POST
@rate_limited
@retry_on_conflict
def intake_submit(request, token):
    link = link_or_none(request, token, PatientLink.Purpose.INTAKE)
    usable = link is not None and not link.patient.is_archived
    intake = Intake.objects.filter(link=link).first() if usable else None
    if intake is None:
        if Intake.objects.filter(
            link__token_hash=token_hash(token), status__in=["submitted", "accepted"]
        ).exists():  # a second click on "Send": it was sent the first time
            return redirect("intake:thanks")
        return link_not_working(request)
    version = intake.signed_consent()
    if version is None:  # the text they signed is gone: they sign the current one again
        intake.forget_consent()
        return redirect("intake:review", token=token)
    try:
        intake = submit_intake(intake.pk, version, trail.client_ip(request))
    except IntakeIncomplete:
        return redirect("intake:review", token=token)
    trail.record(AuditEvent.Action.CHANGE, intake, detail="intake submitted")
    return redirect(reverse("intake:thanks") + ("?urgent=1" if intake.urgent else ""))


@login_not_required
def intake_thanks(request):
    return render(request, "public/intake/thanks.html", {"urgent": "urgent" in request.GET})
