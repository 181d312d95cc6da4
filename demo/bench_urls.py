"""The app's URLs (the project's own URLconf, which `bench` names in BENCH_APP_URLCONF)
plus the benchmark's floor: a trivial view behind the same middleware. Used only by
`manage.py bench`; never served."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse("ok")


urlpatterns = [
    path("__floor__/", floor, name="bench_floor"),
    path("", include(settings.BENCH_APP_URLCONF)),
]
