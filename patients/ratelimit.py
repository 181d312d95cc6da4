"""A per-address limit on the patient link pages, the only public pages with data."""

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone

from audit.ip import client_ip


def rate_limited(view):
    @wraps(view)
    def limited(request, *args, **kwargs):
        minute = timezone.now().strftime("%Y%m%d%H%M")
        key = f"link-rate:{client_ip(request)}:{minute}"
        cache.add(key, 0, timeout=60)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            count = 1
        if count > settings.LINK_RATE_LIMIT_PER_MINUTE:
            return render(request, "public/too_many.html", status=429)
        return view(request, *args, **kwargs)

    return limited
