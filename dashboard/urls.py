from django.urls import path

from dashboard import views

urlpatterns = [
    path("", views.home, name="home"),
    path("outcomes-by-week.csv", views.outcome_curves_csv, name="outcome_curves_csv"),
    path("phase-flow.csv", views.phase_flow_csv, name="phase_flow_csv"),
    path("phase-week/", views.phase_week, name="phase_week"),
    path("time-to-phase.csv", views.time_to_phase_csv, name="time_to_phase_csv"),
    path("worklist/", views.worklist, name="worklist"),
]
