from django.urls import path

from patients.views import access_log, links, progress, records, reminders, report, review

app_name = "patients"
urlpatterns = [
    path("", records.patient_list, name="list"),
    path("new/", records.patient_create, name="create"),
    path("invite/", links.invite_new_patient, name="invite"),
    path("intakes/", review.intake_queue, name="intake_queue"),
    path("<uuid:patient_uuid>/", records.patient_detail, name="detail"),
    path("<uuid:patient_uuid>/edit/", records.patient_edit, name="edit"),
    path("<uuid:patient_uuid>/safety/", records.patient_safety, name="safety"),
    path("<uuid:patient_uuid>/archive/", records.patient_archive, name="archive"),
    path("<uuid:patient_uuid>/restore/", records.patient_restore, name="restore"),
    path("<uuid:patient_uuid>/links/intake/", links.send_intake_link, name="send_intake_link"),
    path("<uuid:patient_uuid>/links/checkin/", links.send_checkin_link, name="send_checkin_link"),
    path("<uuid:patient_uuid>/links/<int:link_id>/revoke/", links.revoke_link, name="revoke_link"),
    path("<uuid:patient_uuid>/intakes/<int:intake_id>/", review.intake_review, name="intake"),
    path(
        "<uuid:patient_uuid>/intakes/<int:intake_id>/red-flags/",
        review.review_red_flags,
        name="review_red_flags",
    ),
    path(
        "<uuid:patient_uuid>/intakes/<int:intake_id>/accept/", review.accept, name="accept_intake"
    ),
    path("<uuid:patient_uuid>/access-log/", access_log.access_log, name="access_log"),
    path("<uuid:patient_uuid>/progress/", progress.patient_progress, name="progress"),
    path("<uuid:patient_uuid>/report/", report.patient_report, name="report"),
    path("<uuid:patient_uuid>/report.pdf", report.patient_report_pdf, name="report_pdf"),
    path("<uuid:patient_uuid>/phase/", progress.phase_change, name="phase_change"),
    path(
        "<uuid:patient_uuid>/suggestions/<int:suggestion_id>/accept/",
        progress.decide_suggestion,
        {"accept": True},
        name="accept_suggestion",
    ),
    path(
        "<uuid:patient_uuid>/suggestions/<int:suggestion_id>/dismiss/",
        progress.decide_suggestion,
        {"accept": False},
        name="dismiss_suggestion",
    ),
    path("<uuid:patient_uuid>/reminders/", reminders.reminder_settings, name="reminders"),
    path(
        "<uuid:patient_uuid>/reminders/restart/",
        reminders.restart_reminders,
        name="restart_reminders",
    ),
]
