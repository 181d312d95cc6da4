from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied

from audit.admin import AuditedAdmin
from core.text import NoControlCharacters
from sessions.actions import delete_drafts, note_saved
from sessions.forms import SessionForm
from sessions.models import (
    AcupuncturePoint,
    AdverseEvent,
    Amendment,
    CautionAcknowledgement,
    Protocol,
    ProtocolPoint,
    SessionPoint,
    SignedSessionError,
    SigningRefused,
    TreatmentSession,
)


class AcupuncturePointForm(forms.ModelForm):
    class Meta:
        model = AcupuncturePoint
        fields = [
            "code", "channel", "number", "pinyin", "other_names", "region", "second_region",
            "midline", "needles_per_side", "pregnancy_caution", "lung_field", "vessel_or_eye",
            "do_not_needle", "caution",
        ]  # fmt: skip

    def clean_channel(self):
        channel = self.cleaned_data["channel"]
        if self.instance._state.adding and channel != AcupuncturePoint.Channel.CLINIC:
            raise forms.ValidationError(
                "The WHO points are all loaded; a new point is clinic-defined."
            )
        return channel


@admin.register(AcupuncturePoint)
class AcupuncturePointAdmin(admin.ModelAdmin):
    """The WHO catalogue's codes and names are fixed; clinics edit flags and add their own."""

    list_display = [
        "code", "pinyin", "channel", "region", "needles_per_side", "pregnancy_caution",
        "lung_field", "vessel_or_eye", "do_not_needle",
    ]  # fmt: skip
    list_filter = [
        "channel", "region", "midline", "pregnancy_caution", "lung_field", "vessel_or_eye",
        "do_not_needle",
    ]  # fmt: skip
    list_editable = ["pregnancy_caution", "lung_field", "vessel_or_eye", "do_not_needle"]
    search_fields = ["code"]
    search_help_text = "Code (ST36, UB40, liv 3, SJ-5), pinyin (zusanli) or region (foot)."
    list_per_page = 50
    form = AcupuncturePointForm

    def get_changeform_initial_data(self, request):
        return {"channel": AcupuncturePoint.Channel.CLINIC}

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        codes = AcupuncturePoint.objects.search(search_term).values("code")
        return queryset.filter(code__in=codes), False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.channel != AcupuncturePoint.Channel.CLINIC:
            return ["code", "channel", "number", "pinyin"]
        return []

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.channel != AcupuncturePoint.Channel.CLINIC:
            return False
        return super().has_delete_permission(request, obj)


class SessionAdminForm(NoControlCharacters, forms.ModelForm):
    """A superuser's correction of a draft keeps the note's own rules."""

    class Meta:
        model = TreatmentSession
        fields = SessionForm.Meta.fields

    def _post_clean(self):
        super()._post_clean()  # the instance now holds the posted values
        try:
            self.instance.check_may_correct()
        except SigningRefused as refused:
            self.add_error(None, refused.by_field(self.fields))


def may_correct(request, session):
    """Only a superuser corrects a note in the admin, and only a draft; clinic admins read."""
    return request.user.is_superuser and (session is None or not session.is_signed)


class SessionPartInline:
    """A note's rows: read-only unless the note itself may be corrected."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return may_correct(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return may_correct(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return may_correct(request, obj) and super().has_delete_permission(request, obj)


class SessionPointInline(SessionPartInline, admin.TabularInline):
    model = SessionPoint
    autocomplete_fields = ["point"]


class AdverseEventInline(SessionPartInline, admin.StackedInline):
    model = AdverseEvent


class AmendmentInline(admin.StackedInline):
    model = Amendment
    extra = 0
    readonly_fields = ["author", "text", "created_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # amendments are written on the note's page, by a practitioner

    def has_change_permission(self, request, obj=None):
        return False


class CautionAcknowledgementInline(admin.TabularInline):
    """Each caution acknowledged: given in the sign review or the session form only."""

    model = CautionAcknowledgement
    extra = 0
    readonly_fields = ["message", "acknowledged_by", "acknowledged_at"]
    fields = readonly_fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(TreatmentSession)
class TreatmentSessionAdmin(AuditedAdmin):
    """Clinic admins read notes here. A superuser may correct a draft (not its patient,
    practitioner or signature); nobody changes a signed note, and no version is restored
    from the history, since a restore would bypass the note's rules."""

    form = SessionAdminForm
    list_display = ["patient", "session_number", "started_at", "practitioner", "status"]
    list_filter = ["status", "practitioner", "started_at"]
    search_fields = ["patient__given_name", "patient__family_name", "=uuid"]
    date_hierarchy = "started_at"
    list_select_related = ["patient", "practitioner"]
    raw_id_fields = ["patient"]
    readonly_fields = [
        "uuid", "patient", "practitioner", "session_number", "status", "signed_by",
        "signed_at", "signed_with", "created_at", "updated_at",
    ]  # fmt: skip
    inlines = [
        SessionPointInline,
        AdverseEventInline,
        CautionAcknowledgementInline,
        AmendmentInline,
    ]

    def has_add_permission(self, request):
        return False  # notes are logged on the patient's page, by their practitioner

    def has_change_permission(self, request, obj=None):
        return may_correct(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return may_correct(request, obj)  # a superuser; a draft (delete_queryset: drafts)

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("A treatment note is not restored from its history.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    # A draft corrected here is saved under the charting form's locks and leaves its
    # readings and the patient's summary as the form would (sessions.actions.save_session):
    # the note, then its parts, then note_saved, in the admin's one transaction.
    def save_model(self, request, obj, form, change):
        try:
            obj.lock_draft()
        except SignedSessionError as error:
            raise PermissionDenied(error.message) from error
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        note_saved(form.instance)

    def delete_model(self, request, obj):
        delete_drafts(TreatmentSession.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        delete_drafts(queryset)


class ProtocolPointInline(admin.TabularInline):
    model = ProtocolPoint
    autocomplete_fields = ["point"]
    extra = 3


@admin.register(Protocol)
class ProtocolAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "shared"]
    list_filter = ["shared", "owner"]
    search_fields = ["name"]
    inlines = [ProtocolPointInline]
