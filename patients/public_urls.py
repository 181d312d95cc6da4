"""The patient's own link pages: the only public pages of the app."""

from django.urls import path

from patients.views import intake

app_name = "intake"
urlpatterns = [
    path("thanks/", intake.intake_thanks, name="thanks"),
    path("<str:token>/", intake.intake_start, name="start"),
    path("<str:token>/review/", intake.intake_review, name="review"),
    path("<str:token>/submit/", intake.intake_submit, name="submit"),
    path("<str:token>/<slug:step>/", intake.intake_step, name="step"),
]
