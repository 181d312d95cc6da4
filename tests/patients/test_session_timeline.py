"""The patient page's session timeline, and the patient's safety flags page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from patients.models import Patient, PatientSummary
from tests.html import timeline_cards
from tests.session_factories import AdverseEventFactory, TreatmentSessionFactory


def patient_url(patient, page=None):
    path = reverse("patients:detail", kwargs={"patient_uuid": patient.uuid})
    return path if page is None else f"{path}?page={page}"


def weeks_ago(weeks):
    return timezone.now() - datetime.timedelta(weeks=weeks)


def course(patient, practitioner, count, points=("ST36", ("LI4", "L"), "GV20")):
    """`count` weekly sessions, the last one a week ago; every third with an adverse event."""
    notes = []
    for number in range(1, count + 1):
        session = TreatmentSessionFactory(
            patient=patient,
            practitioner=practitioner,
            started_at=weeks_ago(count - number + 1),
            signed=number < count,
            points=list(points),
        )
        if number % 3 == 0:
            AdverseEventFactory(session=session)
            AdverseEventFactory(session=session, category="drowsiness")
        notes.append(session)
    return notes


def test_the_timeline_shows_sessions_newest_first_with_points_pain_and_adverse_events(
    practitioner_client, practitioner, second_practitioner, patient
):
    # Entered out of order (the latest visit first), as when notes are typed up later.
    TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, started_at=weeks_ago(1), session_number=3,
        pain_before=5, pain_after=2, points=[("LI4", "L"), "GV20", "SP6"],
    )  # fmt: skip
    TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, started_at=weeks_ago(3), session_number=1,
        signed=True, pain_before=8, pain_after=6, points=["BL23", "GV4"],
    )  # fmt: skip
    second = TreatmentSessionFactory(
        patient=patient, practitioner=second_practitioner, started_at=weeks_ago(2),
        session_number=2, signed=True, pain_before=6, pain_after=None,
        points=[("ST36", "L"), ("ST36", "R")],
    )  # fmt: skip
    AdverseEventFactory(session=second, category="flare", severity="moderate")

    response = practitioner_client.get(patient_url(patient))

    assert response.status_code == 200
    third, second, first = timeline_cards(response)
    assert "Session 3," in third and "Session 2," in second and "Session 1," in first
    assert "Pain 5 → 2" in third
    assert "LI4 L, GV20, SP6" in third
    assert "4 needles" in third  # LI4 left, GV20 midline, SP6 bilateral (2)
    assert "Draft" in third
    assert "Pain 6 → –" in second
    assert "ST36 L, ST36 R" in second
    assert "Dr Okafor" in second
    assert "1 adverse event" in second
    assert "Signed" in second
    assert "Pain 8 → 6" in first
    assert "BL23, GV4" in first
    assert all("adverse event" not in card for card in (first, third))


def test_a_patient_without_sessions_says_so(practitioner_client, patient):
    response = practitioner_client.get(patient_url(patient))
    assert "No sessions yet." in response.content.decode()
    assert timeline_cards(response) == []


def test_the_timeline_shows_ten_sessions_a_page(practitioner_client, practitioner, patient):
    course(patient, practitioner, 12, points=["ST36"])

    first_page = practitioner_client.get(patient_url(patient))
    second_page = practitioner_client.get(patient_url(patient, page=2))

    numbers = [session.session_number for session in first_page.context["sessions"].object_list]
    assert numbers == list(range(12, 2, -1))
    assert len(timeline_cards(first_page)) == 10
    assert "Page 1 of 2" in first_page.content.decode()
    assert [session.session_number for session in second_page.context["sessions"].object_list] == [
        2,
        1,
    ]
    assert len(timeline_cards(second_page)) == 2


def test_a_page_past_the_end_shows_the_last_page(practitioner_client, practitioner, patient):
    course(patient, practitioner, 12, points=["ST36"])
    response = practitioner_client.get(patient_url(patient, page=9))
    assert response.status_code == 200
    assert [session.session_number for session in response.context["sessions"].object_list] == [
        2,
        1,
    ]


def test_the_timeline_counts_the_notes_themselves_not_the_summary(
    practitioner_client, practitioner, patient
):
    """Were the summary ever wrong, no note may go missing from the chart."""
    course(patient, practitioner, 12, points=["ST36"])
    PatientSummary.objects.filter(patient=patient).update(
        sessions=3, signed_sessions=0, signed_sessions_with_adverse_event=0
    )
    second_page = practitioner_client.get(patient_url(patient, page=2))
    assert [session.session_number for session in second_page.context["sessions"].object_list] == [
        2,
        1,
    ]


@pytest.mark.parametrize("sessions", [5, 50])
def test_the_patient_page_query_count_does_not_grow_with_sessions(
    practitioner_client, practitioner, patient, sessions, django_assert_num_queries
):
    course(patient, practitioner, sessions)
    # 1 session, 2 user, 3 permissions, 4 the patient with its practitioner, profile and
    # summary (the current phase), 5 audit insert, 6 the page of sessions with practitioner
    # and profile, the adverse-event count and the number of sessions (a window),
    # 7 their points with the catalogue point (one prefetch), 8 check-ins, 9 intakes with
    # their red-flag reviews, 10 links, 11 an open suggestion, the reminders' state:
    # 12 the last check-in, 13 the latest reminders; 14 the record history with its users.
    with django_assert_num_queries(14):
        response = practitioner_client.get(patient_url(patient))
    assert len(timeline_cards(response)) == min(sessions, 10)
    assert "2 adverse events" in response.content.decode()


# The safety flags page


def safety_url(patient):
    return reverse("patients:safety", kwargs={"patient_uuid": patient.uuid})


NO_FLAGS = {"lymphoedema_limb": "", "safety_notes": ""}


def test_the_safety_page_sends_an_anonymous_visitor_to_log_in(client, patient):
    for response in (client.get(safety_url(patient)), client.post(safety_url(patient), NO_FLAGS)):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_the_safety_page_refuses_a_user_without_a_role(outsider_client, patient):
    assert outsider_client.get(safety_url(patient)).status_code == 403
    data = {**NO_FLAGS, "implanted_device": "on"}
    assert outsider_client.post(safety_url(patient), data).status_code == 403
    patient.refresh_from_db()
    assert patient.implanted_device is False


def test_the_safety_page_shows_the_current_flags(practitioner_client, patient):
    Patient.objects.filter(pk=patient.pk).update(epilepsy=True)
    response = practitioner_client.get(safety_url(patient))
    assert response.status_code == 200
    assert response.context["form"]["epilepsy"].value() is True
    assert response.context["form"]["needle_fear"].value() is False


def test_a_practitioner_saves_the_safety_flags(practitioner_client, practitioner, patient):
    data = {
        "pregnant": "on",
        "pregnancy_due_date": "2026-12-01",
        "pregnancy_trimester": "2",
        "implanted_device": "on",
        "anticoagulants": "on",
        "lymphoedema_limb": "left_arm",
        "safety_notes": "Faints at the sight of blood.",
    }
    response = practitioner_client.post(safety_url(patient), data)

    assert response.status_code == 302
    assert response.url == patient_url(patient)
    patient.refresh_from_db()
    assert patient.pregnant and patient.implanted_device and patient.anticoagulants
    assert patient.pregnancy_due_date == datetime.date(2026, 12, 1)
    assert patient.pregnancy_trimester == 2
    assert patient.lymphoedema_limb == "left_arm"
    assert not (patient.epilepsy or patient.bleeding_disorder or patient.needle_fear)
    change = AuditEvent.objects.get(action="change", object_type="patients.patient")
    assert change.user == practitioner
    page = practitioner_client.get(patient_url(patient)).content.decode()
    for label in [
        "pregnant (second trimester)",
        "pacemaker or other implanted electrical device",
        "lymphoedema: left arm",
        "Faints at the sight of blood.",
    ]:
        assert label in page


def test_unticking_a_flag_clears_it(practitioner_client, patient):
    Patient.objects.filter(pk=patient.pk).update(needle_fear=True, metal_allergy=True)
    response = practitioner_client.post(safety_url(patient), {**NO_FLAGS, "metal_allergy": "on"})
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.needle_fear, patient.metal_allergy) == (False, True)


@pytest.mark.parametrize(
    ("field", "value"), [("pregnancy_due_date", "2026-12-01"), ("pregnancy_trimester", "2")]
)
def test_pregnancy_details_without_pregnant_are_refused(practitioner_client, patient, field, value):
    response = practitioner_client.post(safety_url(patient), {**NO_FLAGS, field: value})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    page = response.content.decode()
    error = page.split(f'id="id_{field}_error"')[1].split("</div>")[0]
    assert "Tick “pregnant” too, or leave this empty." in error
    assert "Nothing was saved" in page
    patient.refresh_from_db()
    assert patient.pregnancy_due_date is None and patient.pregnancy_trimester is None
