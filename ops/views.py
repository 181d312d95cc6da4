from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from ops import health


@login_not_required
@require_safe
def healthz(request):
    """200 when every part works, 503 naming the failing ones: for a load balancer or
    docker's health check. It says only "ok" or "failing" per part, no detail: it is public."""
    parts, failing = health.report()
    return JsonResponse(
        {"status": "failing" if failing else "ok", "checks": parts, "failing": failing},
        status=503 if failing else 200,
    )
