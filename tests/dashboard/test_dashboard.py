"""The clinic dashboard's numbers for a known set of patients, and where they link."""

from decimal import Decimal

import pytest
from django.urls import reverse

from patients.models import PatientSummary
from sessions.models import AdverseEvent
from tests.factories import (
    InvitedPatientFactory,
    PatientFactory,
    StartedCourseFactory,
    SubmittedIntakeFactory,
)
from tests.html import page_text
from tests.progress_helpers import days_ago
from tests.session_factories import SessionOnDateFactory

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
    # The clinic's 13 notes are drafts: no adverse-event rate until they are signed.
    assert numbers["treatments"] == {
        "signed_sessions": 0,
        "with_adverse_event": 0,
        "adverse_events": 0,
        "serious": 0,
    }
    assert numbers["ae_rate"] is None


def test_the_adverse_event_rate_counts_signed_notes_only(practitioner_client, practitioner):
    """Three signed notes, one with a mild and one with a serious event, and a draft with
    an event: 2 of 3 signed treatments, one of the two events serious."""
    patient = PatientFactory(practitioner=practitioner)
    StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(30))
    events = ["mild", "serious", None, "mild"]
    for n, severity in enumerate(events):
        session = SessionOnDateFactory(
            patient=patient, practitioner=practitioner, on=days_ago(20 - n)
        )
        if severity:
            AdverseEvent.objects.create(session=session, category="bleeding", severity=severity)
        if n < 3:
            session.sign(by=practitioner)
    PatientSummary.objects.refresh(patient)
    numbers = PatientSummary.objects.for_dashboard()
    assert numbers["treatments"] == {
        "signed_sessions": 3,
        "with_adverse_event": 2,
        "adverse_events": 2,
        "serious": 1,
    }
    assert round(numbers["ae_rate"], 2) == Decimal("66.67")
    text = page_text(practitioner_client.get("/"))
    assert "66.7 per 100 treatments (2 of 3); 2 events, 1 serious." in text
    assert "(95 % CI 1.43 to 17.95), serious events 7.98 per million treatments" in text


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
    assert "none yet" in page and "no signed notes yet" in page
