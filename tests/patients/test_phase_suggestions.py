"""The rules' suggestions of a change of phase (CLINICAL.md section 1), made from the
readings, shown on the patient's pages, accepted or dismissed by the practitioner. (The
rules themselves: test_rules_phase_2_and_flare_ups.py and
test_rules_phase_3_and_discharge.py.)"""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from patients.actions import record_checkin
from patients.models import PatientLink, PhaseChange, PhaseSuggestion
from patients.progress import change_phase, refresh_suggestion
from tests.factories import CheckInFactory, PatientFactory, StartedCourseFactory
from tests.html import page_text
from tests.progress_helpers import (
    accept_url,
    days_ago,
    dismiss_url,
    phase_data,
    phase_url,
    progress_url,
    today,
)

Status = PhaseSuggestion.Status


def test_two_readings_well_below_baseline_suggest_phase_2_with_the_evidence(patient, calmer):
    suggestion = refresh_suggestion(patient)
    assert PhaseSuggestion.objects.filter(patient=patient, status=Status.OPEN).count() == 1
    assert (suggestion.kind, suggestion.to_phase, suggestion.status) == ("phase_2", 2, "open")
    assert suggestion.reason.startswith("Average pain was 5 and 5 in the last two check-ins")
    assert suggestion.evidence == [
        {"measure": "pain_average", "taken_on": days_ago(21).isoformat(), "value": "8"},
        {"measure": "pain_average", "taken_on": days_ago(14).isoformat(), "value": "5"},
        {"measure": "pain_average", "taken_on": days_ago(7).isoformat(), "value": "5"},
    ]
    assert suggestion.evidence_through == days_ago(7)


def test_one_reading_below_baseline_is_not_enough_to_suggest(patient, course):
    CheckInFactory(patient=patient, taken_on=days_ago(7), pain_average=5)
    assert refresh_suggestion(patient) is None
    assert not PhaseSuggestion.objects.filter(patient=patient).exists()


def test_refreshing_twice_keeps_the_one_open_suggestion(patient, suggestion):
    assert refresh_suggestion(patient) == suggestion
    assert PhaseSuggestion.objects.filter(patient=patient).count() == 1


def test_a_checkin_through_the_link_refreshes_the_suggestion(patient, course):
    CheckInFactory(patient=patient, taken_on=days_ago(7), pain_average=5)
    link, _ = PatientLink.issue(patient, PatientLink.Purpose.CHECKIN)
    answers = {"pain_now": 4, "pain_average": 5, "pain_worst": 6, "enjoyment": 4}
    answers |= {"activity": 4, "confidence": 5, "active_minutes": 90}
    record_checkin(patient, link, answers, activities=[])
    suggestion = PhaseSuggestion.objects.get(patient=patient, status=Status.OPEN)
    assert suggestion.kind == "phase_2"
    assert suggestion.evidence_through == today()


def test_the_suggestion_shows_on_the_patient_page_with_its_readings(
    practitioner_client, patient, suggestion
):
    response = practitioner_client.get(patient.get_absolute_url())
    assert response.status_code == 200
    text = page_text(response)
    assert "Suggestion: move to phase 2, build confidence in movement" in text
    assert suggestion.reason in text
    assert (
        f"Readings behind it: Average pain, past week 8 on {days_ago(21):%-d %b %Y}; "
        f"Average pain, past week 5 on {days_ago(14):%-d %b %Y}; "
        f"Average pain, past week 5 on {days_ago(7):%-d %b %Y}."
    ) in text
    assert accept_url(suggestion) in response.content.decode()


def test_the_suggestion_shows_on_the_progress_page_with_its_readings(
    practitioner_client, patient, suggestion
):
    response = practitioner_client.get(progress_url(patient))
    text = page_text(response)
    assert "Suggestion: move to phase 2, build confidence in movement" in text
    assert f"Average pain, past week 5 on {days_ago(7):%-d %b %Y}." in text
    page = response.content.decode()
    assert accept_url(suggestion) in page and dismiss_url(suggestion) in page


def test_accepting_moves_the_patient_to_phase_2_from_today(
    practitioner_client, practitioner, patient, suggestion
):
    response = practitioner_client.post(accept_url(suggestion), {"next": "progress"})
    assert response.status_code == 302 and response["Location"] == progress_url(patient)
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ACCEPTED
    assert suggestion.decided_by == practitioner and suggestion.decided_at is not None
    change = PhaseChange.objects.filter(patient=patient).last()
    assert (change.phase, change.started_on, change.changed_by) == (2, today(), practitioner)
    assert change.reason == f"Suggestion accepted: {suggestion.reason}"
    assert not PhaseSuggestion.objects.filter(patient=patient, status=Status.OPEN).exists()


def test_accepting_from_the_patient_page_returns_there(practitioner_client, patient, suggestion):
    response = practitioner_client.post(accept_url(suggestion), {"next": "detail"})
    assert response["Location"] == patient.get_absolute_url()


def test_a_decision_is_in_the_audit_trail(practitioner_client, practitioner, suggestion):
    practitioner_client.post(dismiss_url(suggestion))
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.CHANGE,
        object_type="patients.phasesuggestion",
        object_id=suggestion.pk,
    )
    assert event.user == practitioner and event.patient_uuid == suggestion.patient.uuid


def test_dismissing_keeps_the_phase_and_marks_it_dismissed(
    practitioner_client, practitioner, patient, suggestion
):
    response = practitioner_client.post(dismiss_url(suggestion))
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == Status.DISMISSED and suggestion.decided_by == practitioner
    assert list(PhaseChange.objects.filter(patient=patient).values_list("phase", flat=True)) == [1]
    assert "Suggestion: move" not in page_text(practitioner_client.get(progress_url(patient)))


def test_a_dismissed_suggestion_does_not_return_with_the_same_readings(
    practitioner_client, patient, suggestion
):
    practitioner_client.post(dismiss_url(suggestion))
    assert refresh_suggestion(patient) is None
    assert not PhaseSuggestion.objects.filter(patient=patient, status=Status.OPEN).exists()
    change_phase(patient, 1, today(), patient.practitioner, reason="Still phase 1")  # refreshes
    assert not PhaseSuggestion.objects.filter(patient=patient, status=Status.OPEN).exists()


def test_a_dismissed_suggestion_returns_with_a_newer_reading_that_still_meets_the_rule(
    practitioner_client, patient, suggestion
):
    practitioner_client.post(dismiss_url(suggestion))
    CheckInFactory(patient=patient, taken_on=today(), pain_average=4)
    fresh = refresh_suggestion(patient)
    assert fresh is not None and fresh.pk != suggestion.pk
    assert (fresh.kind, fresh.status, fresh.evidence_through) == ("phase_2", "open", today())
    assert fresh.evidence[-1] == {
        "measure": "pain_average",
        "taken_on": today().isoformat(),
        "value": "4",
    }


def test_a_suggestion_that_no_longer_holds_lapses(patient, suggestion):
    CheckInFactory(patient=patient, taken_on=today(), pain_average=8)
    assert refresh_suggestion(patient) is None
    suggestion.refresh_from_db()
    assert suggestion.status == Status.LAPSED
    assert not PhaseSuggestion.objects.filter(patient=patient, status=Status.OPEN).exists()


def test_no_suggestion_waits_for_a_discharged_patient(patient, calmer):
    patient.status = patient.Status.DISCHARGED
    patient.save(update_fields=["status"])
    assert refresh_suggestion(patient) is None
    assert not PhaseSuggestion.objects.filter(patient=patient).exists()


def test_archiving_a_patient_lapses_their_suggestion(practitioner_client, patient, suggestion):
    practitioner_client.post(reverse("patients:archive", kwargs={"patient_uuid": patient.uuid}))
    suggestion.refresh_from_db()
    assert suggestion.status == Status.LAPSED


def test_restoring_them_brings_it_back(practitioner_client, patient, suggestion):
    practitioner_client.post(reverse("patients:archive", kwargs={"patient_uuid": patient.uuid}))
    practitioner_client.post(reverse("patients:restore", kwargs={"patient_uuid": patient.uuid}))
    assert PhaseSuggestion.objects.get(patient=patient, status=Status.OPEN).kind == suggestion.kind


def test_a_manual_change_to_phase_2_lapses_the_suggestion_it_answers(
    practitioner_client, patient, suggestion
):
    practitioner_client.post(phase_url(patient), phase_data())
    suggestion.refresh_from_db()
    assert suggestion.status == Status.LAPSED


def test_a_lapsed_or_decided_suggestion_cannot_be_decided_again(
    practitioner_client, patient, suggestion
):
    practitioner_client.post(dismiss_url(suggestion))
    assert practitioner_client.post(accept_url(suggestion)).status_code == 404
    assert practitioner_client.post(dismiss_url(suggestion)).status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.status == Status.DISMISSED
    assert PhaseChange.objects.filter(patient=patient).count() == 1


def test_a_suggestion_is_decided_only_through_its_own_patient(
    practitioner_client, suggestion, second_practitioner
):
    other = PatientFactory(practitioner=second_practitioner)
    url = reverse(
        "patients:accept_suggestion",
        kwargs={"patient_uuid": other.uuid, "suggestion_id": suggestion.pk},
    )
    assert practitioner_client.post(url).status_code == 404
    suggestion.refresh_from_db()
    assert suggestion.status == Status.OPEN


def test_the_pages_only_accept_a_post_for_a_decision(practitioner_client, suggestion):
    assert practitioner_client.get(accept_url(suggestion)).status_code == 405
    assert practitioner_client.get(phase_url(suggestion.patient)).status_code == 405
    suggestion.refresh_from_db()
    assert suggestion.status == Status.OPEN


def test_the_database_allows_only_one_open_suggestion_a_patient(patient, suggestion):
    with pytest.raises(IntegrityError), transaction.atomic():
        PhaseSuggestion.objects.create(
            patient=patient,
            kind="flare_review",
            to_phase=1,
            reason="A second one",
            evidence=[],
            evidence_through=today(),
        )
    suggestion.status = Status.DISMISSED
    suggestion.save()
    PhaseSuggestion.objects.create(  # once it is decided, a new one may open
        patient=patient, kind="phase_2", to_phase=2, reason="Again", evidence_through=today()
    )


def test_phase_2_begun_on_the_intake_day_counts_confidence_from_the_intakes(patient, practitioner):
    """Issue 13: the intake's confidence (3) is the one in force when phase 2 began that
    day, so a check-in's 5 has "risen 2 since phase 2 began"."""
    StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(30))
    PhaseChange.objects.create(
        patient=patient, phase=2, started_on=days_ago(30), changed_by=practitioner
    )
    CheckInFactory(patient=patient, taken_on=days_ago(7), pain_average=5, confidence=5, psfs=5)
    suggestion = refresh_suggestion(patient)
    assert (suggestion.kind, suggestion.to_phase) == ("phase_3", 3)
    assert suggestion.reason.startswith(
        "Movement confidence rose 2 since phase 2 began, from 3 to 5"
    )
    assert suggestion.evidence[0] == {
        "measure": "confidence", "taken_on": days_ago(30).isoformat(), "value": "3",
    }  # fmt: skip
