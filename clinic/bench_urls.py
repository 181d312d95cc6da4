"""The app's URLs plus the benchmark's floor: a trivial view behind the same middleware.
Used only by `manage.py bench`; never served."""

from django.http import HttpResponse
from django.urls import path

from clinic.urls import urlpatterns as app_urlpatterns


def floor(request):
    return HttpResponse("ok")


urlpatterns = [path("__floor__/", floor, name="bench_floor"), *app_urlpatterns]
