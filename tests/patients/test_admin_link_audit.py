"""The PatientLink admin: its list, searches and pages are audited as views, and its
Revoke action as a change of each link it revokes."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from patients.models import PatientLink
from tests.factories import PatientFactory

CHANGELIST = "/admin/patients/patientlink/"


@pytest.fixture
def links(patient):
    ben = PatientFactory(given_name="Ben", family_name="Okoro")
    return [
        PatientLink.issue(patient, PatientLink.Purpose.INTAKE)[0],
        PatientLink.issue(patient, PatientLink.Purpose.CHECKIN)[0],
        PatientLink.issue(ben, PatientLink.Purpose.CHECKIN)[0],
    ]


def events_after(mark, **filters):
    return AuditEvent.objects.filter(pk__gt=mark, **filters).order_by("pk")


@pytest.fixture
def mark(links):
    return AuditEvent.objects.latest("pk").pk


def test_the_list_of_links_is_audited_naming_each_patient_shown(
    admin_client_, clinic_admin, links, mark
):
    assert admin_client_.get(CHANGELIST).status_code == 200
    events = events_after(mark, action=AuditEvent.Action.LIST)
    assert {(e.user, e.detail) for e in events} == {(clinic_admin, "admin: patient links")}
    assert sorted(str(e.object_id) for e in events) == sorted(str(link.pk) for link in links)
    assert {e.patient_uuid for e in events} == {link.patient.uuid for link in links}


def test_the_admin_list_names_its_patients_in_a_fixed_number_of_queries(
    admin_client_, links, django_assert_max_num_queries
):
    for patient in PatientFactory.create_batch(5):
        PatientLink.issue(patient, PatientLink.Purpose.CHECKIN)
    # session, user, count(s), the page of links with their patients, the audit INSERT, ...
    with django_assert_max_num_queries(12):
        assert admin_client_.get(CHANGELIST).status_code == 200


def test_a_search_by_name_is_audited_without_the_name(admin_client_, mark):
    response = admin_client_.get(CHANGELIST, {"q": "Silva"})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 2
    events = events_after(mark, action=AuditEvent.Action.LIST)
    assert len(events) == 2
    assert not any("Silva" in event.detail for event in events)


def test_a_links_page_is_audited_as_a_view_of_its_patient(admin_client_, patient, links, mark):
    link = links[0]
    assert admin_client_.get(f"{CHANGELIST}{link.pk}/change/").status_code == 200
    [event] = events_after(mark, action=AuditEvent.Action.VIEW)
    assert (event.object_type, event.object_id) == ("patients.patientlink", str(link.pk))
    assert event.patient_uuid == patient.uuid


def test_revoking_links_records_a_change_for_each_link(admin_client_, clinic_admin, links, mark):
    already_revoked = links[2]
    already_revoked.revoke()
    mark = AuditEvent.objects.latest("pk").pk
    response = admin_client_.post(
        CHANGELIST,
        {"action": "revoke", "_selected_action": [link.pk for link in links]},
        follow=True,
    )
    assert "2 link(s) revoked." in response.content.decode()
    changes = events_after(mark, action=AuditEvent.Action.CHANGE)
    assert sorted(int(e.object_id) for e in changes) == sorted([links[0].pk, links[1].pk])
    assert {(e.user, e.object_type) for e in changes} == {(clinic_admin, "patients.patientlink")}
    assert {e.patient_uuid for e in changes} == {links[0].patient.uuid}
    for link in links:
        link.refresh_from_db()
        assert link.state == "revoked"
        assert link.revoked_at <= timezone.now()


def test_a_user_without_a_role_is_refused_and_nothing_is_recorded(outsider_client, links, mark):
    assert outsider_client.get(CHANGELIST).status_code == 302  # not staff: to the admin login
    assert not events_after(mark).exists()
