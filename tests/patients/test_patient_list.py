import pytest
from django.db import connection
from django.urls import reverse

from audit.models import AuditEvent
from patients.models import Patient
from tests.factories import PatientFactory

URL = reverse("patients:list")


def test_anonymous_visitor_is_sent_to_log_in(client, db):
    assert client.get(URL).status_code == 302


def test_a_user_without_a_role_is_refused(outsider_client):
    assert outsider_client.get(URL).status_code == 403


def test_a_clinic_admin_may_list_patients(admin_client_, patient):
    assert admin_client_.get(URL).status_code == 200


def test_a_practitioner_sees_every_patient_of_the_clinic(
    practitioner_client, patient, second_practitioner
):
    other = PatientFactory(given_name="Bo", family_name="Chen", practitioner=second_practitioner)
    response = practitioner_client.get(URL)
    assert response.status_code == 200
    assert set(response.context["page"].object_list) == {patient, other}


def test_it_hides_archived_patients_unless_asked(practitioner_client, patient):
    archived = PatientFactory(status=Patient.Status.ARCHIVED)
    assert archived not in practitioner_client.get(URL).context["page"].object_list
    response = practitioner_client.get(URL, {"status": "archived"})
    assert list(response.context["page"].object_list) == [archived]


@pytest.mark.parametrize(
    "query", ["silva", "Ana Silva", "SILVA ana", "ana.silva@example", "07700 900123", "900123"]
)
def test_it_finds_a_patient_by_name_email_or_phone(practitioner_client, patient, query):
    PatientFactory(given_name="Bo", family_name="Chen", email="bo@example.org", phone="0161 4960")
    response = practitioner_client.get(URL, {"q": query})
    assert list(response.context["page"].object_list) == [patient]


def test_it_filters_by_practitioner(practitioner_client, patient, second_practitioner):
    theirs = PatientFactory(practitioner=second_practitioner)
    response = practitioner_client.get(URL, {"practitioner": second_practitioner.pk})
    assert list(response.context["page"].object_list) == [theirs]


def test_a_bad_filter_value_is_a_400_with_a_message(practitioner_client, patient):
    response = practitioner_client.get(URL, {"status": "sleeping", "q": "ana"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert 'value="ana"' in response.content.decode()


def test_it_paginates_by_25(practitioner_client, db):
    PatientFactory.create_batch(30)
    first = practitioner_client.get(URL)
    assert len(first.context["page"].object_list) == 25
    second = practitioner_client.get(URL, {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert practitioner_client.get(URL, {"page": "many"}).status_code == 200


def test_listing_is_audited(practitioner_client, patient, practitioner):
    practitioner_client.get(URL)
    event = AuditEvent.objects.get(action=AuditEvent.Action.LIST)
    assert event.user == practitioner
    assert event.ip_address == "127.0.0.1"


@pytest.mark.parametrize("size", [5, 50])
def test_its_query_count_does_not_grow_with_the_data(
    practitioner_client, practitioner, second_practitioner, size, django_assert_num_queries
):
    PatientFactory.create_batch(size // 2, practitioner=practitioner)
    PatientFactory.create_batch(size - size // 2, practitioner=second_practitioner)
    # 1 session, 2 user, 3 permissions, 4 count, 5 the page with its practitioners, their
    # profiles, summaries and last visits, 6 the page's average pain for its sparklines,
    # 7 audit insert, 8 practitioners for the filter.
    with django_assert_num_queries(8):
        response = practitioner_client.get(URL)
    assert response.status_code == 200


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL trigram index; SQLite has none"
)
def test_the_search_has_a_trigram_index_on_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'patient_search_trigram'")
        row = cursor.fetchone()
    assert row is not None
    assert row[0].count("gin_trgm_ops") == 3
