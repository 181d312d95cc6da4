import uuid

from django.urls import reverse

from audit.models import AuditEvent


def url(patient_uuid):
    return reverse("patients:detail", kwargs={"patient_uuid": patient_uuid})


def test_anonymous_visitor_is_sent_to_log_in(client, patient):
    assert client.get(url(patient.uuid)).status_code == 302


def test_a_user_without_a_role_is_refused(outsider_client, patient):
    assert outsider_client.get(url(patient.uuid)).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_a_practitioner_sees_the_key_facts(client, second_practitioner, patient):
    client.force_login(second_practitioner)  # not the assigned practitioner: still allowed
    response = client.get(url(patient.uuid))
    assert response.status_code == 200
    page = response.content.decode()
    for fact in ["Ana Silva", "17 May 1970", "Female", "ana.silva@example.org", "Dr Zhao"]:
        assert fact in page


def test_an_unknown_uuid_is_a_404(practitioner_client, patient):
    assert practitioner_client.get(url(uuid.uuid4())).status_code == 404


def test_a_malformed_uuid_is_a_404(practitioner_client, db):
    assert practitioner_client.get("/patients/not-a-uuid/").status_code == 404
    assert practitioner_client.get("/patients/1/").status_code == 404


def test_viewing_leaves_an_audit_entry(practitioner_client, practitioner, patient):
    practitioner_client.get(url(patient.uuid), REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert (event.user, event.actor, event.patient_uuid) == (practitioner, "lin", patient.uuid)
    assert event.object_type == "patients.patient"
    assert event.object_id == str(patient.pk)
    assert event.ip_address == "10.1.2.3"


def test_the_page_shows_the_record_history(practitioner_client, patient):
    patient.phone = "07700 900999"
    patient.save()
    page = practitioner_client.get(url(patient.uuid)).content.decode()
    assert "Record history" in page
    assert "changed by" in page


def test_its_query_count_is_pinned(practitioner_client, patient, django_assert_num_queries):
    # session, user, permissions, the patient with practitioner, profile and summary,
    # audit insert, the page of sessions with their count (none, so no points), check-ins,
    # intakes with their red-flag reviews, links, an open suggestion, the reminders' state
    # (the last check-in's day and time, the latest reminders: two plain queries,
    # patients.models.reminders.reminder_state), history with users.
    # With sessions: see test_session_timeline; with reminders: test_reminders.
    with django_assert_num_queries(13):
        practitioner_client.get(url(patient.uuid))
