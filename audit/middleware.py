"""Knows the request behind each audited write, and records a view of any page whose URL
names a patient if nothing else recorded one."""

from audit import trail
from audit.models import AuditEvent


class AuditContextMiddleware:
    PATIENT_URL_KWARG = "patient_uuid"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = trail.current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            trail.current_request.reset(token)
        self._record_forgotten_view(request, response)
        return response

    def _record_forgotten_view(self, request, response):
        match = getattr(request, "resolver_match", None)
        patient_uuid = match.kwargs.get(self.PATIENT_URL_KWARG) if match else None
        if (
            patient_uuid is not None
            and response.status_code < 400
            and request.user.is_authenticated
            and not getattr(request, "audit_recorded", False)
        ):
            trail.record(
                AuditEvent.Action.VIEW,
                patient_uuid=patient_uuid,
                detail=f"page {match.view_name}",
                request=request,
            )
