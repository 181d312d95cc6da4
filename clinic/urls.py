from django.contrib import admin
from django.urls import include, path

from clinic import views
from sessions.views import point_search

urlpatterns = [
    path("", views.home, name="home"),
    path("patients/", include("patients.urls")),
    path("patients/<uuid:patient>/sessions/", include("sessions.urls")),
    path("points/search/", point_search, name="point_search"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
]
