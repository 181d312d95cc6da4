from django.contrib.auth.decorators import permission_required
from django.http import JsonResponse

from sessions.models import AcupuncturePoint, default_side


@permission_required("treatment_sessions.view_acupuncturepoint", raise_exception=True)
def point_search(request):
    """Type-ahead for the point picker: at most 20 points, exact code first."""
    points = AcupuncturePoint.objects.search(request.GET.get("q", "")[:50])
    return JsonResponse({"points": [point_json(point) for point in points]})


def point_json(point):
    return {
        "code": point.code,
        "pinyin": point.pinyin,
        "channel": point.channel_name,
        "region": point.region_name,
        "side": default_side(point),
        "needles_per_side": point.needles_per_side,
        "flags": point.safety_flags,
        "limb": point.limb,
    }
