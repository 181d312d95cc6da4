from django.contrib import admin
from django.urls import include, path

from clinic import views
from patients.views.checkins import checkin
from sessions.views import point_search

urlpatterns = [
    path("", views.home, name="home"),
    path("patients/", include("patients.urls")),
    path("patients/<uuid:patient>/sessions/", include("sessions.urls")),
    path("points/search/", point_search, name="point_search"),
    path("p/intake/", include("patients.public_urls")),
    path("p/checkin/<str:token>/", checkin, name="checkin"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
