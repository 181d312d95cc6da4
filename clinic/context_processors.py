from django.conf import settings


def clinic(request):
    match = getattr(request, "resolver_match", None)
    section = (match.namespace or match.url_name) if match else ""
    user = getattr(request, "user", None)
    # Before the second step of the login, the menu offers only "Log out" (staff.two_factor).
    pending = (
        settings.CLINIC_REQUIRE_2FA
        and user is not None
        and user.is_authenticated
        and not user.is_verified()
    )
    return {"clinic_name": settings.CLINIC_NAME, "section": section, "second_step_pending": pending}
