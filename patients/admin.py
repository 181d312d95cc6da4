from django.contrib import admin

from clinic.admin import AuditedAdmin
from patients.models import Patient


@admin.register(Patient)
class PatientAdmin(AuditedAdmin):
    list_display = ["family_name", "given_name", "date_of_birth", "status", "practitioner"]
    list_filter = ["status", "practitioner", "sex"]
    search_fields = ["given_name", "family_name", "email", "phone", "=uuid"]
    list_select_related = ["practitioner"]
    readonly_fields = ["uuid", "created_at", "updated_at"]
    history_list_display = ["status"]

    def has_delete_permission(self, request, obj=None):
        # Patients are archived; only a superuser may erase a record outright.
        return request.user.is_superuser
