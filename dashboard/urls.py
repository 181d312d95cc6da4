from django.urls import path

from dashboard import views

urlpatterns = [
    path("", views.home, name="home"),
    path("time-to-phase.csv", views.time_to_phase_csv, name="time_to_phase_csv"),
]
