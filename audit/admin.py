from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from audit import trail
from audit.models import AuditEvent


class ReadOnlyAdmin:
    """An admin that shows records and never adds, changes or deletes one."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordTypeFilter(admin.SimpleListFilter):
    """The kinds of record in the trail, by their names ("check-in"), not their labels."""

    title = "record"
    parameter_name = "object_type"

    def lookups(self, request, model_admin):
        kinds = AuditEvent.objects.order_by().values_list("object_type", flat=True).distinct()
        return sorted(((kind, record_name(kind)) for kind in kinds if kind), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(object_type=self.value()) if self.value() else queryset


def record_name(object_type):
    """A record type's name in words ("treatment session"), or the label if it is gone."""
    try:
        return apps.get_model(object_type)._meta.verbose_name
    except (LookupError, ValueError):
        return object_type


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: the trail can be browsed and searched, never changed."""

    list_display = [
        "at",
        "actor",
        "action",
        "object_type",
        "object_id",
        "patient_uuid",
        "ip_address",
    ]
    list_filter = ["action", RecordTypeFilter, "at"]
    search_fields = ["actor", "object_id", "=patient_uuid", "ip_address"]
    date_hierarchy = "at"
    list_select_related = False
    show_full_result_count = False


class AuditedModelAdmin(admin.ModelAdmin):
    """Admin for patient data: every page that shows a record is audited as a view; writes
    are audited by the models themselves. Its History page is the admin's own log."""

    def _record_view(self, request, object_id, detail):
        obj = self.get_object(request, object_id)
        if obj is not None and self.has_view_or_change_permission(request, obj):
            trail.record(AuditEvent.Action.VIEW, obj, detail=detail, request=request)
        return obj

    def get_queryset(self, request):
        # Each row shown names its patient in the audit trail: fetched with the row.
        queryset = super().get_queryset(request)
        if any(field.name == "patient" for field in self.model._meta.fields):
            queryset = queryset.select_related("patient")
        return queryset

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:  # a list was shown (not a redirect or an action page)
            label = self.model._meta.verbose_name_plural
            trail.record_shown(
                AuditEvent.Action.LIST, changelist.result_list, detail=f"admin: {label}",
                request=request,
            )  # fmt: skip
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._record_view(request, object_id, "admin")
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._record_view(request, object_id, "admin: delete confirmation")
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._record_view(request, object_id, "admin: history")
        return super().history_view(request, object_id, extra_context)


class AuditedAdmin(AuditedModelAdmin, SimpleHistoryAdmin):
    """An audited admin for a model that keeps its versions (django-simple-history): they
    can be seen, and restored unless `revert_disabled()` says no, which refuses the POST as
    well as hiding the button. A model without HistoricalRecords takes AuditedModelAdmin:
    this one would answer its History link with a 500."""

    def __init__(self, model, admin_site):
        if not hasattr(model._meta, "simple_history_manager_attribute"):
            raise ImproperlyConfigured(
                f"{model.__name__} keeps no history (HistoricalRecords): "
                "register it with AuditedModelAdmin"
            )
        super().__init__(model, admin_site)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._record_view(request, object_id, f"admin: version {version_id}")
        if request.method == "POST" and self.revert_disabled(request, obj):
            raise PermissionDenied("Earlier versions of this record are shown, not restored.")
        return super().history_form_view(request, object_id, version_id, extra_context)
