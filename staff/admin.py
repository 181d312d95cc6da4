from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from staff.models import PractitionerProfile


class PractitionerProfileInline(admin.StackedInline):
    model = PractitionerProfile
    can_delete = False
    verbose_name_plural = "Practitioner profile"


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ClinicUserAdmin(UserAdmin):
    inlines = [PractitionerProfileInline]
    list_display = ["username", "email", "first_name", "last_name", "is_staff", "is_active"]
    list_filter = ["groups", "is_staff", "is_superuser", "is_active"]

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
