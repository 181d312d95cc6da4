"""The client's address, as the audit trail and the login lockout record it."""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address; behind DJANGO_PROXY_COUNT proxies, the one they appended.

    Whatever a header claims, only a well-formed address is returned.
    """
    candidates = []
    if settings.PROXY_COUNT:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        if len(forwarded) >= settings.PROXY_COUNT:
            candidates.append(forwarded[-settings.PROXY_COUNT])
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None
