"""Phases of care (CLINICAL.md section 1): who may see and change a patient's phase, what a
change stores, the form's refusals, and the rules' suggestions the practitioner accepts
or dismisses."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from patients.actions import record_checkin
from patients.models import PatientLink, PhaseChange, PhaseSuggestion
from patients.progress import change_phase, refresh_suggestion
from tests.factories import PatientFactory
from tests.progress_helpers import (
    accept_url,
    checkin,
    days_ago,
    dismiss_url,
    page_text,
    phase_url,
    progress_url,
    report_url,
    start_course,
    summary_value,
    today,
)
from tests.session_factories import field_error

Status = PhaseSuggestion.Status
COURSE_BEGAN = 21  # days ago: the intake, with average pain 8


def day(d):
    """A date as the pages print it: 4 Nov 2026."""
    return f"{d.day} {d:%b %Y}"


@pytest.fixture
def course(patient, practitioner):
    """Ana's accepted intake three weeks ago: baseline average pain 8, phase 1 since."""
    return start_course(patient, practitioner, on=days_ago(COURSE_BEGAN), pain_average=8)


@pytest.fixture
def calmer(patient, course):
    """Two check-ins with average pain 5: 3 points, 37.5 % below the baseline of 8."""
    checkin(patient, days_ago(14), pain_average=5)
    checkin(patient, days_ago(7), pain_average=5)


@pytest.fixture
def suggestion(patient, calmer):
    return refresh_suggestion(patient)


def posted(**changes):
    return {"phase": "2", "started_on": today().isoformat(), "reason": "Pain well down"} | changes


# Who may see and change it


def test_an_anonymous_visitor_is_sent_to_log_in_from_every_page_and_action(
    client, patient, suggestion
):
    login = reverse("login")
    for url in [progress_url(patient), report_url(patient)]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(login), url
    for url in [phase_url(patient), accept_url(suggestion), dismiss_url(suggestion)]:
        response = client.post(url, posted())
        assert response.status_code == 302 and response["Location"].startswith(login), url
    assert PhaseChange.objects.filter(patient=patient).count() == 1  # the intake's
    suggestion.refresh_from_db()
    assert suggestion.status == Status.OPEN


def test_a_user_without_a_role_is_refused_every_page_and_action(
    outsider_client, patient, suggestion
):
    for url in [progress_url(patient), report_url(patient)]:
        assert outsider_client.get(url).status_code == 403, url
    for url in [phase_url(patient), accept_url(suggestion), dismiss_url(suggestion)]:
        assert outsider_client.post(url, posted()).status_code == 403, url
    assert PhaseChange.objects.filter(patient=patient).count() == 1
    suggestion.refresh_from_db()
    assert suggestion.status == Status.OPEN
    assert not AuditEvent.objects.filter(user__username="nobody").exists()


def test_a_clinic_admin_sees_the_progress_page_and_the_suggestion_without_the_controls(
    admin_client_, patient, suggestion
):
    response = admin_client_.get(progress_url(patient))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Suggestion: move to phase 2" in page
    assert phase_url(patient) not in page
    assert accept_url(suggestion) not in page and dismiss_url(suggestion) not in page


def test_a_clinic_admin_may_not_change_the_phase(admin_client_, patient, course):
    response = admin_client_.post(phase_url(patient), posted())
    assert response.status_code == 403
    assert list(PhaseChange.objects.filter(patient=patient).values_list("phase", flat=True)) == [1]


def test_a_clinic_admin_may_not_accept_or_dismiss_a_suggestion(admin_client_, suggestion):
    assert admin_client_.post(accept_url(suggestion)).status_code == 403
    assert admin_client_.post(dismiss_url(suggestion)).status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == Status.OPEN and suggestion.decided_by is None
    assert PhaseChange.objects.filter(patient=suggestion.patient).count() == 1


# Changing the phase


def test_a_practitioner_changes_the_phase_with_who_when_and_why(
    practitioner_client, practitioner, patient, course
):
    response = practitioner_client.post(
        phase_url(patient), posted(started_on=days_ago(2).isoformat())
    )
    assert response.status_code == 302
    assert response["Location"] == progress_url(patient)
    change = PhaseChange.objects.filter(patient=patient).last()
    assert (change.phase, change.started_on, change.reason) == (2, days_ago(2), "Pain well down")
    assert change.changed_by == practitioner
    assert change.created_at is not None
    page = practitioner_client.get(response["Location"])
    assert "Phase changed to build confidence in movement." in page_text(page)


def test_a_phase_change_is_in_the_audit_trail(practitioner_client, practitioner, patient, course):
    practitioner_client.post(phase_url(patient), posted())
    change = PhaseChange.objects.filter(patient=patient).last()
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.CREATE, object_type="patients.phasechange", object_id=change.pk
    )
    assert event.user == practitioner
    assert event.patient_uuid == patient.uuid


def test_a_second_practitioner_may_change_the_phase_too(client, second_practitioner, course):
    client.force_login(second_practitioner)
    assert client.post(phase_url(course.patient), posted(phase="3")).status_code == 302
    assert PhaseChange.objects.filter(patient=course.patient).last().changed_by == (
        second_practitioner
    )


def test_the_phase_may_start_on_the_day_the_course_began(practitioner_client, patient, course):
    began = days_ago(COURSE_BEGAN).isoformat()
    response = practitioner_client.post(phase_url(patient), posted(started_on=began))
    assert response.status_code == 302
    assert PhaseChange.objects.filter(patient=patient).count() == 2


def test_it_rejects_a_start_date_in_the_future(practitioner_client, patient, course):
    tomorrow = today() + datetime.timedelta(days=1)
    response = practitioner_client.post(phase_url(patient), posted(started_on=tomorrow.isoformat()))
    assert response.status_code == 400
    assert field_error(response, "started_on") == "A phase cannot start in the future."
    assert "The phase was not changed." in page_text(response)
    assert PhaseChange.objects.filter(patient=patient).count() == 1


def test_it_rejects_a_start_date_before_the_course_began(practitioner_client, patient, course):
    began = days_ago(COURSE_BEGAN)
    response = practitioner_client.post(
        phase_url(patient), posted(started_on=(began - datetime.timedelta(days=1)).isoformat())
    )
    assert response.status_code == 400
    assert field_error(response, "started_on") == (
        f"The course began on {day(began)}, with the intake."
    )
    assert PhaseChange.objects.filter(patient=patient).count() == 1


def test_it_rejects_a_phase_four(practitioner_client, patient, course):
    response = practitioner_client.post(phase_url(patient), posted(phase="4"))
    assert response.status_code == 400
    assert field_error(response, "phase") == (
        "Select a valid choice. 4 is not one of the available choices."
    )
    assert field_error(response, "started_on") == ""
    assert PhaseChange.objects.filter(patient=patient).count() == 1


def test_it_rejects_a_missing_start_date(practitioner_client, patient, course):
    response = practitioner_client.post(phase_url(patient), posted(started_on=""))
    assert response.status_code == 400
    assert field_error(response, "started_on") == "This field is required."
    assert PhaseChange.objects.filter(patient=patient).count() == 1


def test_a_rejected_change_keeps_what_was_typed(practitioner_client, patient, course):
    response = practitioner_client.post(phase_url(patient), posted(phase="3", started_on="x"))
    assert response.status_code == 400
    assert 'value="Pain well down"' in response.content.decode()
    assert response.context["form"]["phase"].value() == "3"


def test_a_patient_without_an_accepted_intake_cannot_be_given_a_phase(practitioner_client, patient):
    response = practitioner_client.post(phase_url(patient), posted())
    assert response.status_code == 302 and response["Location"] == progress_url(patient)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["The course starts when the intake is accepted."]
    assert not PhaseChange.objects.filter(patient=patient).exists()
    assert not PhaseSuggestion.objects.filter(patient=patient).exists()


def test_the_refusal_is_shown_on_the_progress_page_without_a_form_to_change_the_phase(
    practitioner_client, patient
):
    response = practitioner_client.post(phase_url(patient), posted(), follow=True)
    assert response.status_code == 200
    assert "The course starts when the intake is accepted." in page_text(response)
    assert phase_url(patient) not in response.content.decode()


def test_the_page_shows_the_current_phase_with_its_days_and_the_history(
    practitioner_client, practitioner, second_practitioner, patient, course
):
    change_phase(patient, 2, days_ago(6), second_practitioner, reason="Pain down by a third")
    response = practitioner_client.get(progress_url(patient))
    assert response.status_code == 200
    assert summary_value(response, "Phase") == (
        f"2. Build confidence in movement, for 6 days (since {day(days_ago(6))})"
    )
    history = response.content.decode().split("Phase history")[1].split("</ol>")[0]
    assert re.findall(r"<li>(.*?)</li>", history) == [
        f"{day(days_ago(COURSE_BEGAN))}: Calm things down (Intake accepted), by Lin Zhao",
        f"{day(days_ago(6))}: Build confidence in movement (Pain down by a third), by Sam Okafor",
    ]


def test_a_phase_begun_today_has_been_current_for_0_days(practitioner_client, patient, course):
    practitioner_client.post(phase_url(patient), posted(phase="3"))
    response = practitioner_client.get(progress_url(patient))
    assert summary_value(response, "Phase") == f"3. Move more, for 0 days (since {day(today())})"


# Suggestions from the rules


def test_two_readings_well_below_baseline_suggest_phase_2_with_the_evidence(patient, calmer):
    suggestion = refresh_suggestion(patient)
    assert PhaseSuggestion.objects.filter(patient=patient, status=Status.OPEN).count() == 1
    assert (suggestion.kind, suggestion.to_phase, suggestion.status) == ("phase_2", 2, "open")
    assert suggestion.reason == (
        "Average pain 5 and 5 in the last two readings, at least 30 % below the baseline of 8."
    )
    assert suggestion.evidence == [
        {"measure": "pain_average", "taken_on": days_ago(21).isoformat(), "value": "8"},
        {"measure": "pain_average", "taken_on": days_ago(14).isoformat(), "value": "5"},
        {"measure": "pain_average", "taken_on": days_ago(7).isoformat(), "value": "5"},
    ]
    assert suggestion.evidence_through == days_ago(7)


def test_one_reading_below_baseline_is_not_enough_to_suggest(patient, course):
    checkin(patient, days_ago(7), pain_average=5)
    assert refresh_suggestion(patient) is None
    assert not PhaseSuggestion.objects.filter(patient=patient).exists()


def test_refreshing_twice_keeps_the_one_open_suggestion(patient, suggestion):
    assert refresh_suggestion(patient) == suggestion
    assert PhaseSuggestion.objects.filter(patient=patient).count() == 1


def test_a_checkin_through_the_link_refreshes_the_suggestion(patient, course):
    checkin(patient, days_ago(7), pain_average=5)
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
        f"Readings behind it: pain_average 8 on {days_ago(21).isoformat()}; "
        f"pain_average 5 on {days_ago(14).isoformat()}; "
        f"pain_average 5 on {days_ago(7).isoformat()}."
    ) in text
    assert accept_url(suggestion) in response.content.decode()


def test_the_suggestion_shows_on_the_progress_page_with_its_readings(
    practitioner_client, patient, suggestion
):
    response = practitioner_client.get(progress_url(patient))
    text = page_text(response)
    assert "Suggestion: move to phase 2, build confidence in movement" in text
    assert f"pain_average 5 on {days_ago(7).isoformat()}." in text
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
    checkin(patient, today(), pain_average=4)
    fresh = refresh_suggestion(patient)
    assert fresh is not None and fresh.pk != suggestion.pk
    assert (fresh.kind, fresh.status, fresh.evidence_through) == ("phase_2", "open", today())
    assert fresh.evidence[-1] == {
        "measure": "pain_average",
        "taken_on": today().isoformat(),
        "value": "4",
    }


def test_a_suggestion_that_no_longer_holds_lapses(patient, suggestion):
    checkin(patient, today(), pain_average=8)
    assert refresh_suggestion(patient) is None
    suggestion.refresh_from_db()
    assert suggestion.status == Status.LAPSED
    assert not PhaseSuggestion.objects.filter(patient=patient, status=Status.OPEN).exists()


def test_a_manual_change_to_phase_2_lapses_the_suggestion_it_answers(
    practitioner_client, patient, suggestion
):
    practitioner_client.post(phase_url(patient), posted())
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


def test_it_rejects_a_start_date_before_the_current_phase(
    practitioner_client, practitioner, patient, course
):
    current = days_ago(COURSE_BEGAN - 10)
    PhaseChange.objects.create(
        patient=patient, phase=2, started_on=current, changed_by=practitioner
    )
    earlier = (current - datetime.timedelta(days=1)).isoformat()
    response = practitioner_client.post(phase_url(patient), posted(phase="3", started_on=earlier))
    assert response.status_code == 400
    assert field_error(response, "started_on") == (
        f"The current phase began on {day(current)}; a new one cannot start before it."
    )
    assert PhaseChange.objects.filter(patient=patient).count() == 2
