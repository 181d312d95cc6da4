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


def test_a_patients_step_by_step_saves_show_as_one_row_with_their_count(admin_client_, invited):
    from tests.intake_helpers import answer_steps, intake_link

    _, token = intake_link(invited)
    answer_steps(Client(), token)  # seven steps, each saved as the patient goes
    page = html(admin_client_.get(URL, {"q": invited.family_name}))
    assert page.count("saves that day)") == 1
    assert "(7 saves that day)" in page  # one event a step (the model saves it)
    assert page.count('<td class="field-what">Changed') == 1


def test_each_event_shows_every_save_and_the_count_links_there(admin_client_, invited):
    from tests.intake_helpers import answer_steps, intake_link

    _, token = intake_link(invited)
    answer_steps(Client(), token)
    grouped = html(admin_client_.get(URL, {"q": invited.family_name}))
    link = grouped.split('title="Show each save"')[0].rsplit('href="', 1)[1].split('"')[0]
    every = html(admin_client_.get(URL + link.replace("&amp;", "&")))
    assert every.count('<td class="field-what">Changed</td>') == 7
    assert "saves that day" not in every


def test_saves_by_two_people_or_on_two_records_stay_apart(admin_client_, patient, invited):
    from audit.models import AuditEvent

    def change(actor, obj):
        AuditEvent.objects.create(
            action="change", actor=actor, object_type="patients.patient",
            object_id=str(obj.pk), patient_uuid=obj.uuid,
        )  # fmt: skip

    for _ in range(3):
        change("lin", patient)
        change("sam", patient)
        change("lin", invited)
    page = html(admin_client_.get(URL))
    assert page.count("(3 saves that day)") == 3
    assert page.count('<td class="field-what">Changed') == 3


def test_views_are_never_grouped(admin_client_, practitioner_client, patient):
    for _ in range(3):
        practitioner_client.get(patient.get_absolute_url())
    page = html(admin_client_.get(URL, {"q": patient.family_name}))
    assert page.count('<td class="field-what">Viewed</td>') == 3


def test_the_record_filter_names_records_in_words(admin_client_, practitioner_client, patient):
    practitioner_client.get(patient.get_absolute_url())
    page = html(admin_client_.get(URL))
    assert "?object_type=patients.patient" in page and ">patient</a>" in page
    assert ">patients.patient</a>" not in page
    only = html(admin_client_.get(URL, {"object_type": "patients.patient"}))
    assert '<td class="field-record">patient</td>' in only
