"""The admin's audit trail names each event's patient and record in words, and its search
finds a patient's events by the patient's name."""

import pytest
from django.test import Client

from tests.html import html

pytestmark = pytest.mark.django_db

URL = "/admin/audit/auditevent/"


@pytest.fixture
def admin_client_(clinic_admin):
    """A browser of its own: practitioner_client is the test's `client`."""
    client = Client()
    client.force_login(clinic_admin)
    return client


def test_each_event_names_its_patient_and_record(admin_client_, practitioner_client, patient):
    practitioner_client.get(patient.get_absolute_url())
    page = html(admin_client_.get(URL))
    assert f'<td class="field-patient">{patient.full_name}</td>' in page
    assert '<td class="field-record">patient</td>' in page


def test_the_search_finds_a_patient_by_name(admin_client_, practitioner_client, patient, invited):
    practitioner_client.get(patient.get_absolute_url())
    practitioner_client.get(invited.get_absolute_url())
    page = html(admin_client_.get(URL, {"q": patient.family_name}))
    assert patient.full_name in page and invited.full_name not in page
