"""The patient's check-in through their personal link: a short form and their own last
few readings, nothing else."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from audit import trail
from audit.models import AuditEvent
from core.transactions import retry_on_conflict
from patients.actions import record_checkin
from patients.forms import CheckInForm
from patients.models import Patient, PatientLink
from patients.ratelimit import rate_limited
from patients.views.public import link_not_working, link_or_none

RECENT = 5


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
        messages.success(request, "Thank you. Your check-in is saved.")
        return redirect("checkin", token=token)
    trail.record(AuditEvent.Action.VIEW, patient, detail="check-in page")
    recent = patient.checkins.order_by("-taken_on")[:RECENT]
    status = 400 if form.is_bound else 200
    return render(request, "public/checkin.html", {"form": form, "recent": recent}, status=status)
