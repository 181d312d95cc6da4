from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from clinic import audit
from clinic.models import AuditEvent
from patients.models import Patient


@admin.register(Patient)
class PatientAdmin(SimpleHistoryAdmin):
    list_display = ["family_name", "given_name", "date_of_birth", "status", "practitioner"]
    list_filter = ["status", "practitioner", "sex"]
    search_fields = ["given_name", "family_name", "email", "phone", "=uuid"]
    list_select_related = ["practitioner"]
    readonly_fields = ["uuid", "created_at", "updated_at"]
    history_list_display = ["status"]

    def has_delete_permission(self, request, obj=None):
        # Patients are archived; only a superuser may erase a record outright.
        return request.user.is_superuser

    def _record_view(self, request, object_id, detail):
        patient = self.get_object(request, object_id)
        if patient is not None and self.has_view_or_change_permission(request, patient):
            audit.record(AuditEvent.Action.VIEW, patient, detail=detail, request=request)

    def changelist_view(self, request, extra_context=None):
        if self.has_view_or_change_permission(request):
            audit.record(AuditEvent.Action.LIST, detail="admin: patients", request=request)
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._record_view(request, object_id, "admin")
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._record_view(request, object_id, "admin: delete confirmation")
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._record_view(request, object_id, "admin: history")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._record_view(request, object_id, f"admin: version {version_id}")
        return super().history_form_view(request, object_id, version_id, extra_context)
