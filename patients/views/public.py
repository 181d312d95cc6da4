"""Shared by the patient link pages: find the link or show one plain page for every
reason a link does not work."""

from django.shortcuts import render

from patients.models import PatientLink

PATIENT_ACTOR = "patient (link)"


def link_or_none(request, token, purpose):
    link = PatientLink.objects.find(token, purpose)
    if link is not None:
        request.audit_actor = PATIENT_ACTOR
    return link


def link_not_working(request):
    """Wrong, expired, revoked or used: the same page, which reveals nothing."""
    return render(request, "public/link_not_working.html", status=404)
