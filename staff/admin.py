from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit import trail
from audit.models import AuditEvent
from core.mail import seal
from core.tasks import send_email
from staff.forms import RoleRequiredChangeForm, TeamMemberForm, send_welcome
from staff.models import PractitionerProfile


class PractitionerProfileInline(admin.StackedInline):
    model = PractitionerProfile
    can_delete = False
    verbose_name_plural = "Practitioner profile"


User = get_user_model()
admin.site.unregister(User)
# django-otp's own pages show each device's secret key: a device is only ever reset here.
for _device in (TOTPDevice, StaticDevice):
    admin.site.unregister(_device)


def _refused_if_invalid(response):
    """The admin answers a form with errors 200; ours say 400, as the app's forms do."""
    adminform = (getattr(response, "context_data", None) or {}).get("adminform")
    if adminform is not None and adminform.form.errors:
        response.status_code = 400
    return response


RESET_EMAIL = """Hello {name},

Your two-step login at {clinic} was reset by {by}. The next time you log in, you will be
asked to set it up again with your authenticator app.

If you did not ask for this, tell the clinic's admin at once.
"""


@admin.register(User)
class ClinicUserAdmin(UserAdmin):
    """Team members: added in one step (name, email, role, and for a practitioner the name
    on their notes), then emailed a link to choose their password; a staff member keeps a
    role."""

    inlines = [PractitionerProfileInline]
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_active"]
    list_filter = ["groups", "is_staff", "is_superuser", "is_active"]
    actions = ["reset_two_factor"]
    add_form = TeamMemberForm
    add_form_template = "admin/change_form.html"
    form = RoleRequiredChangeForm
    add_fieldsets = [
        (None, {"fields": ["first_name", "last_name", "email", "username", "role"]}),
        (
            "For a practitioner",
            {"fields": ["display_name", "qualification"], "description": "Shown on their notes."},
        ),
    ]

    def get_inlines(self, request, obj):
        # The profile's fields are on the add form; its defaults can be changed after.
        return self.inlines if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        form.save_team_member(obj)
        send_welcome(request, obj)
        self.message_user(
            request, f"{obj.get_full_name()} was added and emailed a link to choose a password."
        )

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "title": "Add a team member"}
        response = super().add_view(request, form_url, extra_context)
        return _refused_if_invalid(response)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return _refused_if_invalid(super().change_view(request, object_id, form_url, extra_context))

    def get_readonly_fields(self, request, obj=None):
        # Clinic admins assign roles (groups); only a superuser grants more than a role.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["is_superuser", "user_permissions", "last_login", "date_joined"]

    def has_change_permission(self, request, obj=None):
        # Nor may they change a superuser's account, its password included.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    @admin.action(description="Reset two-step login (they set it up again)", permissions=["change"])
    @transaction.atomic
    def reset_two_factor(self, request, queryset):
        """Delete the users' authenticator and recovery codes; each is audited and told by
        email. A superuser's only by a superuser."""
        reset, refused = [], []
        for user in queryset:
            if user.is_superuser and not request.user.is_superuser:
                refused.append(user.get_username())
                continue
            for device in devices_for_user(user, confirmed=None):
                device.delete()
            trail.record(
                AuditEvent.Action.CHANGE, user, detail="two-step login reset", request=request
            )
            if user.email:
                body = RESET_EMAIL.format(
                    name=user.get_full_name() or user.get_username(),
                    clinic=settings.CLINIC_NAME,
                    by=request.user.get_full_name() or request.user.get_username(),
                )
                send_email.enqueue(seal(user.email), "Your two-step login was reset", seal(body))
            reset.append(user.get_username())
        if reset:
            self.message_user(request, f"Two-step login reset for {', '.join(reset)}.")
        if refused:
            self.message_user(
                request,
                f"Not reset (only a superuser may reset a superuser's): {', '.join(refused)}.",
                messages.ERROR,
            )
