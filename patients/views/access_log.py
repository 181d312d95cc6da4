"""Who has seen this record: a patient's access log from the audit trail, for clinic admins
(the permission to view the audit trail)."""

from django.apps import apps
from django.core.paginator import Paginator
from django.shortcuts import render

from audit.models import AuditEvent
from patients.access import get_patient_for_user

PAGE_SIZE = 25


def _what(event):
    """ "Viewed patient", "Changed treatment session": the action and the record's name."""
    try:
        name = apps.get_model(event.object_type)._meta.verbose_name
    except (LookupError, ValueError):
        name = event.object_type or "record"
    return f"{event.get_action_display()} {name}"


def access_log(request, patient_uuid):
    """Every read and write of the patient's data, newest first: who, when, what, from
    which address. Opening it is itself recorded (as a view of the patient)."""
    patient = get_patient_for_user(request, patient_uuid, perm="audit.view_auditevent")
    events = AuditEvent.objects.filter(patient_uuid=patient.uuid).order_by("-at", "-id")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(event, _what(event)) for event in page.object_list]
    return render(
        request, "patients/access_log.html", {"patient": patient, "page": page, "rows": rows}
    )
