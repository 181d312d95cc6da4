from django.contrib import admin
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Concat, TruncDate
from django.utils.html import format_html
from django.utils.http import urlencode

from audit.admin import (
    AuditedAdmin,
    AuditedModelAdmin,
    AuditEventAdmin,
    ReadOnlyAdmin,
    record_name,
)
from audit.models import AuditEvent
from patients.models import (
    CheckIn,
    ConsentVersion,
    Intake,
    OutcomeReading,
    OutcomeWeek,
    Patient,
    PatientLink,
    PatientSummary,
    PhaseChange,
    PhaseSuggestion,
    PsfsActivity,
    RedFlagReview,
)


@admin.register(Patient)
class PatientAdmin(AuditedAdmin):
    list_display = ["family_name", "given_name", "date_of_birth", "status", "practitioner"]
    list_filter = ["status", "practitioner", "sex"]
    search_fields = ["given_name", "family_name", "email", "phone", "=uuid"]
    list_select_related = ["practitioner"]
    # The reminders' restart and unsubscribe are the patient page's and the patient's own.
    readonly_fields = [
        "uuid",
        "created_at",
        "updated_at",
        "reminders_restarted_at",
        "reminders_unsubscribed_at",
    ]
    history_list_display = ["status"]

    def revert_disabled(self, request, obj=None):
        # Clinic admins see earlier versions but do not restore them: a version brings back
        # every field at once, the safety flags practitioners set since among them, past
        # the archive and restore actions. They change a field on the change page instead.
        # A superuser may still restore one, as a correction of last resort.
        return not request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        # Patients are archived; only a superuser may erase a record outright.
        return request.user.is_superuser

    # The change page saves in a transaction of its own; a restored version does not.
    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        PatientSummary.objects.refresh(obj)  # its status and practitioner


@admin.register(PatientLink)
class PatientLinkAdmin(AuditedModelAdmin):
    """Links are made on the patient's page (the token is shown only then); here they are
    listed and revoked. The list, its searches and each link's page are audited as views."""

    list_display = [
        "patient", "purpose", "created_at", "expires_at", "state", "email_status", "created_by"
    ]  # fmt: skip
    list_filter = ["purpose", "email_status", "created_at"]
    search_fields = ["patient__given_name", "patient__family_name"]
    list_select_related = ["patient", "created_by"]
    fields = [
        "patient",
        "purpose",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "closed_at",
        "last_used_at",
        "email_status",
        "email_attempts",
        "email_done_at",
    ]
    readonly_fields = fields
    actions = ["revoke"]

    @admin.action(description="Revoke the selected links", permissions=["change"])
    @transaction.atomic
    def revoke(self, request, queryset):
        # One save a link (not a queryset update, which sends no signal): each revoke is
        # audited as a change of that link, naming its patient.
        links = list(queryset.filter(revoked_at__isnull=True).select_related("patient"))
        for link in links:
            link.revoke()
        self.message_user(request, f"{len(links)} link(s) revoked.")

    def has_add_permission(self, request):
        return False


class RedFlagReviewInline(admin.StackedInline):
    model = RedFlagReview
    extra = 0
    readonly_fields = ["reviewed_by", "reviewed_at", "action", "notes"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Intake)
class IntakeAdmin(AuditedModelAdmin):
    list_display = ["patient", "status", "submitted_at", "has_red_flags", "urgent"]
    list_filter = ["status", "has_red_flags", "urgent"]
    search_fields = ["patient__given_name", "patient__family_name"]
    list_select_related = ["patient"]
    readonly_fields = [field.name for field in Intake._meta.fields]
    inlines = [RedFlagReviewInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the consent and baseline of a course of care


@admin.register(ConsentVersion)
class ConsentVersionAdmin(admin.ModelAdmin):
    """A new wording is a new version; signed intakes keep the one they signed."""

    list_display = ["version", "published_at"]

    def has_delete_permission(self, request, obj=None):
        return False  # intakes point to the version their patient signed

    def get_readonly_fields(self, request, obj=None):
        return ["version", "text", "published_at"] if obj else ["published_at"]


@admin.register(CheckIn)
class CheckInAdmin(AuditedModelAdmin):
    list_display = ["patient", "taken_on", "pain_average", "confidence", "active_minutes"]
    list_filter = ["taken_on"]
    search_fields = ["patient__given_name", "patient__family_name"]
    list_select_related = ["patient"]
    readonly_fields = [field.name for field in CheckIn._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # part of the record, like the readings it made


class ReadOnlyAudited(ReadOnlyAdmin, AuditedModelAdmin):
    """Records written only by the app's own actions: browsed here, never edited."""

    list_select_related = ["patient"]
    search_fields = ["patient__given_name", "patient__family_name", "=patient__uuid"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(OutcomeReading)
class OutcomeReadingAdmin(ReadOnlyAudited):
    list_display = ["patient", "taken_on", "measure", "value", "source"]
    list_filter = ["measure", "source", "taken_on"]


@admin.register(PhaseChange)
class PhaseChangeAdmin(ReadOnlyAudited):
    list_display = ["patient", "phase", "started_on", "changed_by", "reason"]
    list_filter = ["phase", "started_on"]


@admin.register(PhaseSuggestion)
class PhaseSuggestionAdmin(ReadOnlyAudited):
    list_display = ["patient", "kind", "status", "evidence_through", "decided_by"]
    list_filter = ["kind", "status"]


@admin.register(PatientSummary)
class PatientSummaryAdmin(ReadOnlyAudited):
    """Derived from the patient and the history by every write that changes it
    (PatientSummary.objects.refresh); shown to check it."""

    list_display = ["patient", "status", "phase", "sessions", "baseline_pain", "latest_pain"]
    list_filter = ["status", "phase"]


@admin.register(OutcomeWeek)
class OutcomeWeekAdmin(ReadOnlyAudited):
    """Derived, like the summary, by every write (OutcomeWeek.objects.rewrite): each
    patient's outcome by week of care, behind the dashboard's curves; shown to check it."""

    list_display = [
        "patient",
        "week",
        "phase",
        "pain_reduction",
        "psfs_change_tenths",
        "active_150",
    ]
    list_filter = ["phase"]


@admin.register(PsfsActivity)
class PsfsActivityAdmin(ReadOnlyAudited):
    list_display = ["patient", "position", "name"]


# The audit trail, as the audit app registers it, with the patient's name beside each event
# and the search finding a patient by name (the audit app knows patients only by uuid).
admin.site.unregister(AuditEvent)


class RepeatedChangesFilter(admin.SimpleListFilter):
    """A patient's intake saved step by step, or a draft note saved again and again, makes
    a "Changed" event for each save. By default the trail shows one row for each record
    changed by one person on one day, with the number of saves; "Each event" shows them all."""

    title = "repeated changes"
    parameter_name = "saves"

    def lookups(self, request, model_admin):
        return [("each", "Each event")]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": "One row a record a day",
        }
        yield from list(super().choices(changelist))[1:]

    def queryset(self, request, queryset):
        if self.value() == "each":
            return queryset
        same = AuditEvent.objects.filter(
            action=AuditEvent.Action.CHANGE,
            actor=OuterRef("actor"),
            object_type=OuterRef("object_type"),
            object_id=OuterRef("object_id"),
            patient_uuid=OuterRef("patient_uuid"),
            at__date=OuterRef("day"),
        )
        saves = same.order_by().values("action").annotate(n=Count("pk")).values("n")
        return (
            queryset.annotate(day=TruncDate("at"))
            .annotate(later_save=Exists(same.filter(pk__gt=OuterRef("pk"))), saves=Subquery(saves))
            .exclude(action=AuditEvent.Action.CHANGE, patient_uuid__isnull=False, later_save=True)
        )


@admin.register(AuditEvent)
class AuditTrailAdmin(AuditEventAdmin):
    list_display = ["at", "actor", "what", "record", "patient", "ip_address", "detail"]
    list_filter = [RepeatedChangesFilter, *AuditEventAdmin.list_filter]
    search_fields = ["actor", "object_id", "=patient_uuid", "ip_address", "detail"]

    def lookup_allowed(self, lookup, value, request=None):
        # The link from a grouped row to each of its saves filters on the record and the actor.
        return lookup in ("object_type", "object_id", "actor") or super().lookup_allowed(
            lookup, value, request
        )

    def get_queryset(self, request):
        named = Patient.objects.filter(uuid=OuterRef("patient_uuid"))
        name = Concat("given_name", Value(" "), "family_name")
        return (
            super()
            .get_queryset(request)
            .annotate(patient_name=Subquery(named.annotate(name=name).values("name")[:1]))
        )

    def get_search_results(self, request, queryset, search_term):
        found, duplicates = super().get_search_results(request, queryset, search_term)
        words = search_term.split()
        if words:
            patients = Patient.objects.all()
            for word in words:
                patients = patients.filter(
                    Q(given_name__icontains=word) | Q(family_name__icontains=word)
                )
            found |= queryset.filter(patient_uuid__in=patients.values("uuid"))
        return found, duplicates

    @admin.display(description="action", ordering="action")
    def what(self, event):
        saves = getattr(event, "saves", None) or 1
        if event.action != AuditEvent.Action.CHANGE or event.patient_uuid is None or saves < 2:
            return event.get_action_display()
        every = "?" + urlencode(
            {
                "saves": "each",
                "action": event.action,
                "object_type": event.object_type,
                "object_id": event.object_id,
                "actor": event.actor,
                "at__year": event.day.year,
                "at__month": event.day.month,
                "at__day": event.day.day,
            }
        )
        return format_html(
            '{} <a href="{}" title="Show each save">({} saves that day)</a>',
            event.get_action_display(),
            every,
            saves,
        )

    @admin.display(description="record")
    def record(self, event):
        return record_name(event.object_type)

    @admin.display(description="patient", ordering="patient_name")
    def patient(self, event):
        return event.patient_name or ""
