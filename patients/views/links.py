"""Practitioners invite patients: a new link, emailed and shown once to copy; revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from core.mail import seal
from patients.access import get_patient_for_user
from patients.forms import InviteForm
from patients.models import Patient, PatientLink, PatientSummary
from patients.tasks import email_link

LINK_URL_NAMES = {
    PatientLink.Purpose.INTAKE: "intake:start",
    PatientLink.Purpose.CHECKIN: "checkin",
}


def link_path(purpose, token):
    return reverse(LINK_URL_NAMES[purpose], kwargs={"token": token})


EMAIL_FAILED = (
    "The email with the {purpose} link could not be sent: the mail server did not answer."
    " The link is revoked, so nothing is left working; send a new one when email works"
    " again."
)


def issue_and_show(request, patient, purpose):
    """Make a link, queue its email, and show it once. The page answers at once: the
    email goes out through the task queue (patients.tasks.email_link), which records on
    the link whether it was sent or failed. Where the queue runs tasks at once (debug
    mode) and the email fails, the link is revoked and the person told, back on the
    patient's page."""
    link, token = PatientLink.issue(patient, purpose, by=request.user)
    url = request.build_absolute_uri(link_path(purpose, token))
    if patient.email:
        link.email_status = PatientLink.Email.QUEUED
        link.save(update_fields=["email_status"])
        email_link.enqueue(link.pk, seal(url))
        link.refresh_from_db(fields=["email_status", "revoked_at"])
    if link.email_status == PatientLink.Email.FAILED:
        messages.error(request, EMAIL_FAILED.format(purpose=link.get_purpose_display().lower()))
        return redirect(patient)
    context = {"patient": patient, "link": link, "url": url}
    return render(request, "patients/link_created.html", context)


@require_POST
def send_intake_link(request, patient_uuid):
    patient = get_patient_for_user(request, patient_uuid, perm="patients.add_patientlink")
    if patient.is_archived or patient.intakes.filter(status__in=["submitted", "accepted"]):
        messages.error(request, "This patient's intake is already sent; review it instead.")
        return redirect(patient)
    return issue_and_show(request, patient, PatientLink.Purpose.INTAKE)


@require_POST
def send_checkin_link(request, patient_uuid):
    patient = get_patient_for_user(request, patient_uuid, perm="patients.add_patientlink")
    if patient.status != Patient.Status.ACTIVE:
        messages.error(request, "Check-in links are for active patients.")
        return redirect(patient)
    return issue_and_show(request, patient, PatientLink.Purpose.CHECKIN)


@require_POST
def revoke_link(request, patient_uuid, link_id):
    patient = get_patient_for_user(request, patient_uuid, perm="patients.change_patientlink")
    link = get_object_or_404(PatientLink, pk=link_id, patient=patient)
    link.revoke()
    messages.success(request, f"The {link.get_purpose_display().lower()} link is revoked.")
    return redirect(patient)


@permission_required(["patients.add_patient", "patients.add_patientlink"], raise_exception=True)
def invite_new_patient(request):
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        patient = form.save(commit=False)
        patient.status = Patient.Status.INVITED
        if hasattr(request.user, "practitioner_profile"):
            patient.practitioner = request.user
        with transaction.atomic():
            patient.save()
            PatientSummary.objects.refresh(patient)
        return issue_and_show(request, patient, PatientLink.Purpose.INTAKE)
    status = 400 if form.is_bound else 200
    return render(request, "patients/invite_form.html", {"form": form}, status=status)
