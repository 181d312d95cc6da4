"""The intake, filled in by the patient through their link: one step a page, each step
saved as they go, a review page, then submit."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from audit import trail
from audit.models import AuditEvent
from core.transactions import retry_on_conflict
from patients import bodymap
from patients.actions import IntakeIncomplete, submit_intake
from patients.intake import (
    FEELS_LIKE,
    SINCE,
    STEP_FORMS,
    STEP_KEYS,
    STEP_TITLES,
    URGENT_FLAGS,
    ConsentForm,
    to_json,
)
from patients.models import ConsentVersion, Intake, PatientLink, token_hash
from patients.ratelimit import rate_limited
from patients.views.public import link_not_working, link_or_none

DRAFTS = "_drafts"


def open_intake(request, token):
    """The link's intake, started on first use, or None when the link does not work."""
    link = link_or_none(request, token, PatientLink.Purpose.INTAKE)
    if link is None or link.patient.is_archived:
        return None
    intake, _ = Intake.objects.get_or_create(link=link, defaults={"patient": link.patient})
    return intake if intake.status == Intake.Status.STARTED else None


def prefill(patient):
    """What the clinic already knows, for the patient to check on the first step."""
    names = [
        "given_name",
        "family_name",
        "email",
        "phone",
        "emergency_contact_name",
        "emergency_contact_phone",
    ]
    values = {name: getattr(patient, name) for name in names}
    if patient.date_of_birth:
        values["date_of_birth"] = patient.date_of_birth.isoformat()
    return values


def step_url(token, step):
    return reverse("intake:step", kwargs={"token": token, "step": step})


@login_not_required
@never_cache
@rate_limited
def intake_start(request, token):
    intake = open_intake(request, token)
    if intake is None:
        return link_not_working(request)
    if all(step in intake.answers for step in STEP_KEYS):
        return redirect("intake:review", token=token)
    return redirect(step_url(token, intake.step))


def make_form(intake, step, data=None):
    form_class = STEP_FORMS[step]
    if data is None:
        draft = intake.answers.get(DRAFTS, {}).get(step)
        if draft:  # typed before, not yet valid: show it again, with what to correct
            data = QueryDict(mutable=True)
            for name, values in draft.items():
                data.setlist(name, values)
    if data is not None:
        return form_class(data)
    initial = intake.answers.get(step)
    if initial is None and step == "about":
        initial = prefill(intake.patient)
    return form_class(initial=initial or {})


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
    data = request.POST if request.method == "POST" else None
    form = make_form(intake, step, data)
    status = 200
    if data is None:
        trail.record(AuditEvent.Action.VIEW, intake, detail=f"intake step: {step}")
    if data is not None:
        drafts = intake.answers.setdefault(DRAFTS, {})
        consent = ConsentVersion.current()
        valid = form.is_valid()
        if valid and isinstance(form, ConsentForm) and consent is None:
            form.add_error(None, "The clinic has not published its consent text yet.")
            valid = False
        if valid:
            answer = to_json(form.cleaned_data)
            if isinstance(form, ConsentForm):
                answer["version"] = consent.pk
            intake.answers[step] = answer
            drafts.pop(step, None)
            index = STEP_KEYS.index(step)
            intake.step = STEP_KEYS[min(index + 1, len(STEP_KEYS) - 1)]
            intake.save(update_fields=["answers", "step", "updated_at"])
            trail.record(AuditEvent.Action.CHANGE, intake, detail=f"intake step: {step}")
            if index + 1 == len(STEP_KEYS) or request.POST.get("then") == "review":
                return redirect("intake:review", token=token)
            return redirect(step_url(token, STEP_KEYS[index + 1]))
        # Keep what was typed, valid or not, so nothing is lost if the tab is closed now.
        drafts[step] = form.draft()
        intake.step = step
        intake.save(update_fields=["answers", "step", "updated_at"])
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
        "consent": ConsentVersion.current() if step == "consent" else None,
        "bodymap_front": bodymap.FRONT,
        "bodymap_back": bodymap.BACK,
        "urgent_flags": URGENT_FLAGS,
        "all_answered": all(s in intake.answers for s in STEP_KEYS),
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
        "sections": review_sections(intake.answers),
        "missing": [(s, STEP_TITLES[s]) for s in STEP_KEYS if s not in intake.answers],
        "urgent": any(
            intake.answers.get("red_flags", {}).get(key) == "yes" for key in URGENT_FLAGS
        ),
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
    version = ConsentVersion.objects.filter(
        pk=intake.answers.get("consent", {}).get("version")
    ).first()
    if version is None:  # the text they signed is gone: they sign the current one again
        intake.answers.pop("consent", None)
        intake.step = "consent"
        intake.save(update_fields=["answers", "step", "updated_at"])
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


def review_sections(answers):
    """The answers as (step, title, [(question, answer)]), for the patient and the clinic."""
    labels = (
        dict(SINCE)
        | dict(FEELS_LIKE)
        | bodymap.LABELS
        | {"yes": "Yes", "no": "No", "unsure": "Not sure"}
    )
    sections = []
    for step in STEP_KEYS:
        if step not in answers:
            continue
        form = STEP_FORMS[step]()
        rows = []
        for name, value in answers[step].items():
            if name not in form.fields or value in ("", None, []):
                continue
            if isinstance(value, list):
                shown = ", ".join(labels.get(v, v) for v in value)
            elif isinstance(value, bool):
                shown = "Yes" if value else "No"
            else:
                shown = labels.get(value, value) if isinstance(value, str) else value
            rows.append((str(form.fields[name].label), shown))
        sections.append((step, STEP_TITLES[step], rows))
    return sections
