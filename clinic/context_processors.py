from django.conf import settings


def clinic(request):
    match = getattr(request, "resolver_match", None)
    section = (match.namespace or match.url_name) if match else ""
    return {"clinic_name": settings.CLINIC_NAME, "section": section}
