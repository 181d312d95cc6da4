from django.urls import path

from patients.views import links, progress, records, review

app_name = "patients"
urlpatterns = [
    path("", records.patient_list, name="list"),
    path("new/", records.patient_create, name="create"),
    path("invite/", links.invite_new_patient, name="invite"),
    path("intakes/", review.intake_queue, name="intake_queue"),
    path("<uuid:patient>/", records.patient_detail, name="detail"),
    path("<uuid:patient>/edit/", records.patient_edit, name="edit"),
    path("<uuid:patient>/safety/", records.patient_safety, name="safety"),
    path("<uuid:patient>/archive/", records.patient_archive, name="archive"),
    path("<uuid:patient>/restore/", records.patient_restore, name="restore"),
    path("<uuid:patient>/links/intake/", links.send_intake_link, name="send_intake_link"),
    path("<uuid:patient>/links/checkin/", links.send_checkin_link, name="send_checkin_link"),
    path("<uuid:patient>/links/<int:link>/revoke/", links.revoke_link, name="revoke_link"),
    path("<uuid:patient>/intakes/<int:intake>/", review.intake_review, name="intake"),
    path(
        "<uuid:patient>/intakes/<int:intake>/red-flags/",
        review.review_red_flags,
        name="review_red_flags",
    ),
    path("<uuid:patient>/intakes/<int:intake>/accept/", review.accept, name="accept_intake"),
    path("<uuid:patient>/progress/", progress.patient_progress, name="progress"),
    path("<uuid:patient>/report/", progress.patient_report, name="report"),
    path("<uuid:patient>/phase/", progress.phase_change, name="phase_change"),
    path(
        "<uuid:patient>/suggestions/<int:suggestion>/accept/",
        progress.decide_suggestion,
        {"accept": True},
        name="accept_suggestion",
    ),
    path(
        "<uuid:patient>/suggestions/<int:suggestion>/dismiss/",
        progress.decide_suggestion,
        {"accept": False},
        name="dismiss_suggestion",
    ),
]
