"""The clinic dashboard's numbers for a known set of patients, and where they link."""

from decimal import Decimal

import pytest
from django.urls import reverse

from patients.models import PatientSummary
from tests.factories import InvitedPatientFactory, PatientFactory, SubmittedIntakeFactory

pytestmark = pytest.mark.django_db


def test_the_numbers_for_a_known_clinic(clinic):
    numbers = PatientSummary.objects.for_dashboard()
    assert [(phase.value, n) for phase, n in numbers["phases"]] == [(1, 1), (2, 1), (3, 1)]
    assert numbers["not_started"] == 1  # dan
    assert numbers["suggestions"] == 1
    assert numbers["quiet"] == 2  # dan; and cat, whose last reading is 20 days old
    assert (numbers["response"]["responders"], numbers["response"]["total"]) == (1, 2)
    assert numbers["responder_percent"] == 50
    assert numbers["to_phase_2"] == 2  # the median of ben 2, cat 4 and eve 0 (no sessions)
    assert numbers["to_phase_3"] == 5  # cat
    assert numbers["treatments"] == {"sessions": 13, "with_adverse_event": 1}
    assert round(numbers["ae_rate"], 2) == Decimal("7.69")  # 1 of 13, per 100


def test_each_number_links_to_the_patients_behind_it(practitioner_client, clinic):
    page = practitioner_client.get("/").content.decode()
    assert "?status=active&amp;phase=2" in page
    found = practitioner_client.get(reverse("patients:list"), {"status": "active", "phase": 2})
    assert list(found.context["page"].object_list) == [clinic["ben"]]
    for need, expected in [
        ("suggestion", {"ben"}),
        ("quiet", {"cat", "dan"}),
        ("responder", {"amy"}),
    ]:
        found = practitioner_client.get(reverse("patients:list"), {"need": need})
        assert {p.given_name.lower() for p in found.context["page"].object_list} == expected


def test_my_patients_shows_only_mine(client, second_practitioner, clinic):
    PatientFactory(given_name="Sol", practitioner=second_practitioner)
    client.force_login(second_practitioner)
    SubmittedIntakeFactory(patient=InvitedPatientFactory(practitioner=second_practitioner))
    numbers = client.get("/", {"mine": "1"}).context
    assert [n for _, n in numbers["phases"]] == [0, 0, 0]
    assert numbers["quiet"] == 1  # Sol
    assert numbers["suggestions"] == 0  # ben's is lin's
    assert numbers["waiting"]["total"] == 1  # Bea's intake
    everyone = client.get("/").context
    assert (everyone["suggestions"], everyone["waiting"]["total"]) == (1, 1)


def test_an_empty_clinic_shows_sensible_blanks(practitioner_client):
    page = practitioner_client.get("/").content.decode()
    assert "none yet" in page and "no sessions yet" in page
