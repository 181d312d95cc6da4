"""The patient's check-in through their personal link: a short form and their own last
few readings, nothing else; once sent, a thank-you page with their own average pain, their
phase and when the next check-in is due."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from audit import trail
from audit.models import AuditEvent
from core.transactions import retry_on_conflict
from patients.actions import record_checkin
from patients.forms import CheckInForm
from patients.models import Patient, PatientLink, Phase
from patients.models.reminders import next_due_on
from patients.ratelimit import rate_limited
from patients.views.public import link_not_working, link_or_none

RECENT = 5
CHARTED = 12  # the thank-you page's chart: the patient's last dozen check-ins


@login_not_required
@never_cache
@rate_limited
@retry_on_conflict
def checkin(request, token):
    link = link_or_none(request, token, PatientLink.Purpose.CHECKIN)
    if link is None or link.patient.status != Patient.Status.ACTIVE:
        return link_not_working(request)
    patient = link.patient
    activities = list(patient.psfs_activities.all())
    form = CheckInForm(request.POST if request.method == "POST" else None, activities=activities)
    if form.is_bound and form.is_valid():
        entry = record_checkin(patient, link, form.cleaned_data, activities)
        trail.record(AuditEvent.Action.CHANGE, entry, detail="check-in")
        return redirect("checkin_thanks", token=token)
    trail.record(AuditEvent.Action.VIEW, patient, detail="check-in page")
    recent = patient.checkins.order_by("-taken_on")[:RECENT]
    status = 400 if form.is_bound else 200
    return render(request, "public/checkin.html", {"form": form, "recent": recent}, status=status)


@login_not_required
@never_cache
@rate_limited
def checkin_thanks(request, token):
    """After a check-in (POST, then redirect here): the patient's own average pain over
    their check-ins, as a chart and as a table, their phase, and the next due date."""
    link = link_or_none(request, token, PatientLink.Purpose.CHECKIN)
    if link is None or link.patient.status != Patient.Status.ACTIVE:
        return link_not_working(request)
    patient = link.patient
    trail.record(AuditEvent.Action.VIEW, patient, detail="check-in thanks page")
    checkins = list(patient.checkins.order_by("-taken_on")[:CHARTED])[::-1]
    summary = getattr(patient, "summary", None)
    phase = summary.phase if summary else None
    due_on = next_due_on(patient.checkin_cadence, checkins[-1].taken_on if checkins else None)
    context = {
        "link": link,
        "checkins": checkins,
        "chart": pain_chart(checkins),
        "phase": Phase(phase).in_patient_words if phase else None,
        "next_due_on": due_on,
        "due_now": due_on is not None and due_on <= timezone.localdate(),
    }
    return render(request, "public/checkin_thanks.html", context)


# The chart's drawing area, in the SVG's own units (it scales to the page's width).
WIDTH, HEIGHT, LEFT, TOP, BOTTOM = 320, 150, 28, 10, 128


def pain_chart(checkins):
    """Average pain (0-10) by check-in as an SVG line: each point's x and y, the grid
    lines for 0, 5 and 10, and the first and last dates under the line. None for none."""
    if not checkins:
        return None
    span = WIDTH - LEFT - 12
    step = span / (len(checkins) - 1) if len(checkins) > 1 else 0

    def y(value):
        return round(BOTTOM - (BOTTOM - TOP) * value / 10, 1)

    points = [
        {"x": round(LEFT + n * step, 1) if step else LEFT + span / 2, "y": y(c.pain_average)}
        for n, c in enumerate(checkins)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "points": points,
        "line": " ".join(f"{p['x']},{p['y']}" for p in points),
        "grid": [{"value": v, "y": y(v)} for v in (0, 5, 10)],
        "left": LEFT,
        "right": WIDTH - 4,
        "dates_y": BOTTOM + 16,
        "first": checkins[0].taken_on,
        "last": checkins[-1].taken_on if len(checkins) > 1 else None,
    }
