"""Phases of care (CLINICAL.md section 1): who may see and change a patient's phase, what a
change stores, and the form's refusals. (The rules' suggestions: test_phase_suggestions.py.)"""

import datetime
import re

from django.contrib.messages import get_messages
from django.urls import reverse

from audit.models import AuditEvent
from patients.models import PhaseChange, PhaseSuggestion
from patients.progress import change_phase
from tests.html import field_error, page_text, summary_value
from tests.progress_helpers import (
    COURSE_BEGAN,
    accept_url,
    day,
    days_ago,
    dismiss_url,
    phase_data,
    phase_url,
    progress_url,
    report_url,
    today,
)

Status = PhaseSuggestion.Status


# Who may see and change it


def test_an_anonymous_visitor_is_sent_to_log_in_from_every_page_and_action(
    client, patient, suggestion
):
    login = reverse("login")
    for url in [progress_url(patient), report_url(patient)]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(login), url
    for url in [phase_url(patient), accept_url(suggestion), dismiss_url(suggestion)]:
        response = client.post(url, phase_data())
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
        assert outsider_client.post(url, phase_data()).status_code == 403, url
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
    response = admin_client_.post(phase_url(patient), phase_data())
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
        phase_url(patient), phase_data(started_on=days_ago(2).isoformat())
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
    practitioner_client.post(phase_url(patient), phase_data())
    change = PhaseChange.objects.filter(patient=patient).last()
    event = AuditEvent.objects.get(
        action=AuditEvent.Action.CREATE, object_type="patients.phasechange", object_id=change.pk
    )
    assert event.user == practitioner
    assert event.patient_uuid == patient.uuid


def test_a_second_practitioner_may_change_the_phase_too(client, second_practitioner, course):
    client.force_login(second_practitioner)
    assert client.post(phase_url(course.patient), phase_data(phase="3")).status_code == 302
    assert PhaseChange.objects.filter(patient=course.patient).last().changed_by == (
        second_practitioner
    )


def test_the_phase_may_start_on_the_day_the_course_began(practitioner_client, patient, course):
    began = days_ago(COURSE_BEGAN).isoformat()
    response = practitioner_client.post(phase_url(patient), phase_data(started_on=began))
    assert response.status_code == 302
    assert PhaseChange.objects.filter(patient=patient).count() == 2


def test_it_rejects_a_start_date_in_the_future(practitioner_client, patient, course):
    tomorrow = today() + datetime.timedelta(days=1)
    response = practitioner_client.post(
        phase_url(patient), phase_data(started_on=tomorrow.isoformat())
    )
    assert response.status_code == 400
    assert field_error(response, "started_on") == "A phase cannot start in the future."
    assert "The phase was not changed." in page_text(response)
    assert PhaseChange.objects.filter(patient=patient).count() == 1


def test_it_rejects_a_start_date_before_the_course_began(practitioner_client, patient, course):
    began = days_ago(COURSE_BEGAN)
    response = practitioner_client.post(
        phase_url(patient), phase_data(started_on=(began - datetime.timedelta(days=1)).isoformat())
    )
    assert response.status_code == 400
    assert field_error(response, "started_on") == (
        f"The course began on {day(began)}, with the intake."
    )
    assert PhaseChange.objects.filter(patient=patient).count() == 1


def test_it_rejects_a_phase_four(practitioner_client, patient, course):
    response = practitioner_client.post(phase_url(patient), phase_data(phase="4"))
    assert response.status_code == 400
    assert field_error(response, "phase") == (
        "Select a valid choice. 4 is not one of the available choices."
    )
    assert field_error(response, "started_on") == ""
    assert PhaseChange.objects.filter(patient=patient).count() == 1


def test_it_rejects_a_missing_start_date(practitioner_client, patient, course):
    response = practitioner_client.post(phase_url(patient), phase_data(started_on=""))
    assert response.status_code == 400
    assert field_error(response, "started_on") == "This field is required."
    assert PhaseChange.objects.filter(patient=patient).count() == 1


def test_a_rejected_change_keeps_what_was_typed(practitioner_client, patient, course):
    response = practitioner_client.post(phase_url(patient), phase_data(phase="3", started_on="x"))
    assert response.status_code == 400
    assert 'value="Pain well down"' in response.content.decode()
    assert response.context["form"]["phase"].value() == "3"


def test_a_patient_without_an_accepted_intake_cannot_be_given_a_phase(practitioner_client, patient):
    response = practitioner_client.post(phase_url(patient), phase_data())
    assert response.status_code == 302 and response["Location"] == progress_url(patient)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == ["The course starts when the intake is accepted."]
    assert not PhaseChange.objects.filter(patient=patient).exists()
    assert not PhaseSuggestion.objects.filter(patient=patient).exists()


def test_the_refusal_is_shown_on_the_progress_page_without_a_form_to_change_the_phase(
    practitioner_client, patient
):
    response = practitioner_client.post(phase_url(patient), phase_data(), follow=True)
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
    practitioner_client.post(phase_url(patient), phase_data(phase="3"))
    response = practitioner_client.get(progress_url(patient))
    assert summary_value(response, "Phase") == f"3. Move more, for 0 days (since {day(today())})"


def test_it_rejects_a_start_date_before_the_current_phase(
    practitioner_client, practitioner, patient, course
):
    current = days_ago(COURSE_BEGAN - 10)
    PhaseChange.objects.create(
        patient=patient, phase=2, started_on=current, changed_by=practitioner
    )
    earlier = (current - datetime.timedelta(days=1)).isoformat()
    response = practitioner_client.post(
        phase_url(patient), phase_data(phase="3", started_on=earlier)
    )
    assert response.status_code == 400
    assert field_error(response, "started_on") == (
        f"The current phase began on {day(current)}; a new one cannot start before it."
    )
    assert PhaseChange.objects.filter(patient=patient).count() == 2
