from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from audit import trail
from audit.models import AuditEvent
from sessions.models import TreatmentSession


def get_session_for_user(
    request, patient_uuid, session_uuid, perm="treatment_sessions.view_treatmentsession"
):  # noqa: E501
    """A patient's treatment note for this request: 403 without the permission, 404 if absent
    or not this patient's. Every fetch is audited as a view."""
    if not request.user.has_perm(perm):
        raise PermissionDenied
    queryset = TreatmentSession.objects.with_points().select_related(
        "patient__summary", "practitioner__practitioner_profile", "signed_by__practitioner_profile"
    )
    session = get_object_or_404(queryset, uuid=session_uuid, patient__uuid=patient_uuid)
    trail.record(AuditEvent.Action.VIEW, session)
    return session
