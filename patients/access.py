from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from audit import trail
from audit.models import AuditEvent
from patients.models import Patient


def get_patient_for_user(request, patient_uuid, perm="patients.view_patient"):
    """Fetch a patient for this request, or refuse: 403 without the permission, 404 if absent.

    Every fetch is recorded in the audit trail as a view. All the clinic's practitioners may
    see all its patients; other staff only with the model permission.
    """
    if not request.user.has_perm(perm):
        raise PermissionDenied
    queryset = Patient.objects.select_related("practitioner__practitioner_profile", "summary")
    patient = get_object_or_404(queryset, uuid=patient_uuid)
    trail.record(AuditEvent.Action.VIEW, patient)
    return patient
