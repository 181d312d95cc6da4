"""Check-in reminders: the practitioner's settings and restart on the patient's page, and
the patient's unsubscribe page, reached from a reminder's link without a login."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from audit import trail
from audit.models import AuditEvent
from core.transactions import retry_on_conflict
from patients import reminders
from patients.access import get_patient_for_user
from patients.forms import ReminderSettingsForm
from patients.ratelimit import rate_limited
from patients.views.public import PATIENT_ACTOR, link_not_working
from patients.views.records import edit_record


@retry_on_conflict
def reminder_settings(request, patient_uuid):
    return edit_record(
        request, patient_uuid, ReminderSettingsForm, ReminderSettingsForm.save,
        "patients/reminders_form.html", "Reminder settings saved.",
    )  # fmt: skip


@require_POST
@retry_on_conflict
def restart_reminders(request, patient_uuid):
    patient = get_patient_for_user(request, patient_uuid, perm="patients.change_patient")
    reminders.restart(patient)
    messages.success(request, "Reminders restarted: the next goes when a check-in is due.")
    return redirect(patient)


@login_not_required
@never_cache
@rate_limited
@retry_on_conflict
def unsubscribe(request, token):
    """GET asks to confirm (a mail scanner opening the link changes nothing); POST turns
    the patient's reminders off, then shows that they are."""
    patient = reminders.patient_to_unsubscribe(token)
    if patient is None:
        return link_not_working(request)
    request.audit_actor = PATIENT_ACTOR
    if request.method == "POST":
        reminders.unsubscribe(patient)
        trail.record(AuditEvent.Action.CHANGE, patient, detail="reminders turned off by link")
        return redirect("reminders_unsubscribe", token=token)
    trail.record(AuditEvent.Action.VIEW, patient, detail="reminders unsubscribe page")
    return render(request, "public/unsubscribe.html", {"off": not patient.reminder_consent})
