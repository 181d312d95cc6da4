"""Lists, searches and exports say which patients they showed: one audit event for each
patient on the page or in the file, so "who saw this patient?" finds them too."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from patients.models import Patient
from tests.factories import (
    CheckInFactory,
    PatientFactory,
    StartedCourseFactory,
    SubmittedIntakeFactory,
)
from tests.progress_helpers import days_ago
from tests.session_factories import SessionOnDateFactory

pytestmark = pytest.mark.django_db

LIST = reverse("patients:list")
EXPORT = reverse("patients:export")


def shown(action, **filters):
    events = AuditEvent.objects.filter(action=action, **filters)
    return sorted(str(uuid) for uuid in events.values_list("patient_uuid", flat=True))


def uuids(*patients):
    return sorted(str(patient.uuid) for patient in patients)


@pytest.fixture
def ana_and_ben(patient, practitioner):
    ben = PatientFactory(given_name="Ben", family_name="Moreau", practitioner=practitioner)
    return patient, ben


def test_the_patient_list_records_each_patient_shown(practitioner_client, ana_and_ben):
    practitioner_client.get(LIST)
    assert shown("list") == uuids(*ana_and_ben)
    event = AuditEvent.objects.filter(action="list").first()
    assert event.object_type == "patients.patient"
    assert event.detail == "patients: 2 on page 1"


def test_a_search_records_the_patients_found_and_not_what_was_typed(
    practitioner_client, ana_and_ben, practitioner
):
    ana, _ = ana_and_ben
    practitioner_client.get(LIST, {"q": "silva"})
    assert shown("list") == uuids(ana)
    event = AuditEvent.objects.get(action="list")
    assert (event.user, event.detail) == (practitioner, "patient search: 1 on page 1")
    assert "silva" not in event.detail.lower()


def test_a_search_that_finds_no_one_is_still_recorded(practitioner_client, ana_and_ben):
    practitioner_client.get(LIST, {"q": "nobody-by-this-name"})
    event = AuditEvent.objects.get(action="list")
    assert (event.patient_uuid, event.detail) == (None, "patient search: 0 on page 1")


def test_a_second_page_records_only_the_patients_on_it(practitioner_client, db):
    PatientFactory.create_batch(27)
    practitioner_client.get(LIST, {"page": 2})
    last_two = Patient.objects.order_by("family_name", "given_name", "id")[25:]
    assert shown("list") == uuids(*last_two)


def test_a_dashboard_list_records_the_patients_it_opens(
    practitioner_client, ana_and_ben, practitioner
):
    """The dashboard's "no reading in 14 days" links to this list."""
    ana, ben = ana_and_ben
    StartedCourseFactory(patient=ben, accepted_by=practitioner, on=days_ago(30))
    CheckInFactory(patient=ben, taken_on=days_ago(2))
    practitioner_client.get(LIST, {"need": "quiet", "practitioner": practitioner.pk})
    assert shown("list") == uuids(ana)


def test_the_intake_queue_records_the_patients_waiting(practitioner_client, ana_and_ben):
    ana, _ = ana_and_ben
    intake = SubmittedIntakeFactory(patient=ana)
    practitioner_client.get(reverse("patients:intake_queue"))
    event = AuditEvent.objects.get(action="list")
    assert (event.patient_uuid, event.object_type) == (ana.uuid, "patients.intake")
    assert event.object_id == str(intake.pk)


@pytest.fixture
def exported(ana_and_ben, practitioner):
    """Ana has readings and a session; Ben has neither; Cat has a reading only."""
    ana, ben = ana_and_ben
    cat = PatientFactory(given_name="Cat", practitioner=practitioner)
    StartedCourseFactory(patient=ana, accepted_by=practitioner, on=days_ago(10))
    SessionOnDateFactory(patient=ana, practitioner=practitioner, on=days_ago(5))
    CheckInFactory(patient=cat, taken_on=days_ago(1))
    return {"ana": ana, "ben": ben, "cat": cat}


@pytest.mark.parametrize("deidentified", ["", "on"])
def test_a_readings_export_records_every_patient_in_it(practitioner_client, exported, deidentified):
    response = practitioner_client.get(EXPORT, {"what": "readings", "deidentified": deidentified})
    b"".join(response.streaming_content)
    assert shown("export") == uuids(exported["ana"], exported["cat"])


@pytest.mark.parametrize("deidentified", ["", "on"])
def test_a_sessions_export_records_every_patient_in_it(practitioner_client, exported, deidentified):
    response = practitioner_client.get(EXPORT, {"what": "sessions", "deidentified": deidentified})
    b"".join(response.streaming_content)
    assert shown("export") == uuids(exported["ana"])
    kind = "identified" if not deidentified else "de-identified"
    assert AuditEvent.objects.get(action="export").detail == f"sessions ({kind})"


def test_an_empty_export_is_still_recorded(practitioner_client, practitioner):
    practitioner_client.get(EXPORT, {"what": "readings"})
    event = AuditEvent.objects.get(action="export")
    assert (event.patient_uuid, event.user) == (None, practitioner)


def test_a_page_of_25_costs_one_insert(practitioner_client, db, django_assert_num_queries):
    PatientFactory.create_batch(30)
    # 1 session, 2 user, 3 permissions, 4 count, 5 the page with its practitioners and their
    # profiles, 6 its sparklines' readings, 7 the audit events (one INSERT for the 25),
    # 8 practitioners for the filter.
    with django_assert_num_queries(8):
        practitioner_client.get(LIST)
    assert AuditEvent.objects.filter(action="list").count() == 25
