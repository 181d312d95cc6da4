"""Check-ins: an active patient's short report between visits through their link, and the
session's pain before and after, both stored as outcome readings."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from patients.actions import record_session_readings
from patients.models import CheckIn, OutcomeReading, Patient, PatientLink, PsfsActivity, PsfsRating
from tests.factories import PatientFactory
from tests.html import field_error, field_html
from tests.intake_helpers import PATIENT_ACTOR, checkin_thanks_url, checkin_url
from tests.session_factories import TreatmentSessionFactory
from tests.session_helpers import point_row, session_data

TODAY = timezone.localdate()


@pytest.fixture
def activities(patient):
    names = ["Walking the dog", "Gardening", "Sitting through a film"]
    return [
        PsfsActivity.objects.create(patient=patient, name=name, position=position)
        for position, name in enumerate(names, start=1)
    ]


@pytest.fixture
def token(patient, activities):
    """Ana's check-in link, as she holds it."""
    return PatientLink.issue(patient, PatientLink.Purpose.CHECKIN)[1]


def answers(activities, ratings=(5, 4, 7), **changes):
    data = {
        "pain_now": "4",
        "pain_average": "5",
        "pain_worst": "7",
        "enjoyment": "4",
        "activity": "5",
        "confidence": "6",
        "active_minutes": "120",
    }
    data.update({f"psfs_{a.pk}": str(r) for a, r in zip(activities, ratings, strict=True)})
    data.update(changes)
    return data


def readings(checkin):
    return {r.measure: r.value for r in OutcomeReading.objects.filter(checkin=checkin)}


# The page


def test_the_checkin_page_asks_about_the_patients_own_activities(client, token, activities):
    response = client.get(checkin_url(token))
    assert response.status_code == 200
    page = response.content.decode()
    for activity in activities:
        assert f"How well can you do this now: {activity.name}?" in page
        assert f'name="psfs_{activity.pk}"' in page
    for name in ["pain_now", "pain_average", "confidence", "active_minutes"]:
        assert f'name="{name}"' in page


def test_the_checkin_page_shows_the_patients_last_checkins_and_no_one_elses(client, patient, token):
    for days, average in [(3, 8), (10, 9)]:
        CheckIn.objects.create(
            patient=patient, taken_on=TODAY - datetime.timedelta(days=days),
            pain_now=5, pain_average=average, pain_worst=9, enjoyment=5, activity=5,
            confidence=3, active_minutes=45,
        )  # fmt: skip
    other = PatientFactory(given_name="Otto", family_name="Other")
    CheckIn.objects.create(
        patient=other, taken_on=TODAY - datetime.timedelta(days=1), pain_now=1,
        pain_average=1, pain_worst=1, enjoyment=1, activity=1, confidence=10,
        active_minutes=999,
    )  # fmt: skip
    response = client.get(checkin_url(token))
    assert [entry.pain_average for entry in response.context["recent"]] == [8, 9]
    page = response.content.decode()
    assert "Your last check-ins" in page
    assert "999" not in page


def test_the_checkin_page_shows_neither_the_patients_name_nor_email(client, patient, token):
    page = client.get(checkin_url(token)).content.decode()
    assert "Silva" not in page
    assert "ana.silva@example.org" not in page
    assert "07700 900123" not in page


def test_opening_the_checkin_page_is_audited_as_the_patient(client, patient, token):
    client.get(checkin_url(token))
    event = AuditEvent.objects.latest("id")
    assert (event.actor, event.user, event.action) == (PATIENT_ACTOR, None, "view")
    assert event.patient_uuid == patient.uuid


# Sending a check-in


def test_a_checkin_saves_the_answers_the_psfs_ratings_and_the_readings(
    client, patient, token, activities
):
    response = client.post(checkin_url(token), answers(activities), follow=True)
    assert response.redirect_chain == [(checkin_thanks_url(token), 302)]
    assert "Your check-in is saved." in response.content.decode()

    checkin = CheckIn.objects.get(patient=patient)
    assert checkin.taken_on == TODAY
    assert (checkin.pain_now, checkin.pain_average, checkin.pain_worst) == (4, 5, 7)
    assert (checkin.enjoyment, checkin.activity, checkin.confidence) == (4, 5, 6)
    assert checkin.active_minutes == 120
    ratings = PsfsRating.objects.filter(checkin=checkin).order_by("activity__position")
    assert [(r.activity, r.value, r.taken_on) for r in ratings] == [
        (activities[0], 5, TODAY),
        (activities[1], 4, TODAY),
        (activities[2], 7, TODAY),
    ]
    assert readings(checkin) == {
        "pain_now": Decimal("4"),
        "pain_average": Decimal("5"),
        "pain_worst": Decimal("7"),
        "enjoyment": Decimal("4"),
        "activity": Decimal("5"),
        "confidence": Decimal("6"),
        "active_minutes": Decimal("120"),
        "peg": Decimal("4.67"),  # mean(5, 4, 5)
        "psfs": Decimal("5.33"),  # mean(5, 4, 7)
    }
    assert {
        (r.source, r.patient_id, r.taken_on) for r in OutcomeReading.objects.filter(checkin=checkin)
    } == {("checkin", patient.pk, TODAY)}


def test_a_checkin_is_audited_as_the_patient(client, patient, token, activities):
    client.post(checkin_url(token), answers(activities))
    checkin = CheckIn.objects.get()
    events = AuditEvent.objects.filter(object_type="patients.checkin", object_id=str(checkin.pk))
    assert events.exists()
    assert {(e.actor, e.patient_uuid) for e in events} == {(PATIENT_ACTOR, patient.uuid)}


def test_a_second_checkin_the_same_day_updates_the_first(client, patient, token, activities):
    client.post(checkin_url(token), answers(activities))
    first = CheckIn.objects.get()
    client.post(checkin_url(token), answers(activities, ratings=(8, 8, 9), pain_average="2"))

    assert CheckIn.objects.count() == 1
    checkin = CheckIn.objects.get()
    assert checkin.pk == first.pk
    assert checkin.pain_average == 2
    assert [r.value for r in checkin.psfs_ratings.order_by("activity__position")] == [8, 8, 9]
    values = readings(checkin)
    assert values["pain_average"] == Decimal("2")
    assert values["peg"] == Decimal("3.67")  # mean(2, 4, 5)
    assert values["psfs"] == Decimal("8.33")
    assert OutcomeReading.objects.filter(patient=patient).count() == 9
    assert PsfsRating.objects.count() == 3


def test_a_checkin_on_another_day_is_a_new_one(client, patient, token, activities):
    client.post(checkin_url(token), answers(activities))
    CheckIn.objects.update(taken_on=TODAY - datetime.timedelta(days=7))
    client.post(checkin_url(token), answers(activities))
    assert CheckIn.objects.count() == 2


def test_a_patient_without_psfs_activities_checks_in_without_a_psfs_score(client, db):
    nobody_named = PatientFactory()
    _, token = PatientLink.issue(nobody_named, PatientLink.Purpose.CHECKIN)
    response = client.post(checkin_url(token), answers([], ratings=()))
    assert response.status_code == 302
    values = readings(CheckIn.objects.get())
    assert "psfs" not in values
    assert values["peg"] == Decimal("4.67")


def test_a_checkin_marks_when_the_link_was_last_used(client, patient, token, activities):
    client.post(checkin_url(token), answers(activities))
    link = PatientLink.objects.get(patient=patient)
    assert link.last_used_at is not None
    assert CheckIn.objects.get().link == link


# Bad input


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("pain_now", "11", "Ensure this value is less than or equal to 10."),
        ("active_minutes", "-1", "Ensure this value is greater than or equal to 0."),
        ("active_minutes", "10081", "Ensure this value is less than or equal to 10080."),
        ("confidence", "", "This field is required."),
        ("pain_worst", "lots", "Enter a whole number."),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_the_answers_kept(
    client, token, activities, field, value, message
):
    data = answers(activities, **{field: value, "pain_average": "3"})
    response = client.post(checkin_url(token), data)
    assert response.status_code == 400
    assert field_error(response, field) == message
    assert "Please check the questions marked below. Your answers are kept." in (
        response.content.decode()
    )
    if field == "active_minutes":  # a number box keeps what was typed (a scale has no 11)
        assert f'value="{value}"' in field_html(response, f"id_{field}")
    assert "checked" in field_html(response, "id_pain_average_3")  # the button for 3
    assert "checked" in field_html(response, f"id_psfs_{activities[2].pk}_7")
    assert not CheckIn.objects.exists()
    assert not OutcomeReading.objects.exists()


def test_pain_eleven_and_minus_one_active_minutes_are_both_reported(client, token, activities):
    data = answers(activities, pain_now="11", active_minutes="-1")
    response = client.post(checkin_url(token), data)
    assert response.status_code == 400
    assert field_error(response, "pain_now") == "Ensure this value is less than or equal to 10."
    assert field_error(response, "active_minutes") == (
        "Ensure this value is greater than or equal to 0."
    )
    assert not CheckIn.objects.exists()


def test_every_psfs_activity_must_be_rated(client, token, activities):
    data = answers(activities)
    del data[f"psfs_{activities[1].pk}"]
    response = client.post(checkin_url(token), data)
    assert response.status_code == 400
    assert field_error(response, f"psfs_{activities[1].pk}") == "This field is required."
    assert not CheckIn.objects.exists()


# Who may check in


@pytest.mark.parametrize("status", ["discharged", "archived", "invited", "intake_submitted"])
def test_the_link_of_a_patient_who_is_not_active_does_not_work(
    client, patient, token, activities, status
):
    not_working = client.get(checkin_url("x" * 43))
    Patient.objects.filter(pk=patient.pk).update(status=status)
    for response in [
        client.get(checkin_url(token)),
        client.post(checkin_url(token), answers(activities)),
    ]:
        assert response.status_code == 404
        assert response.content == not_working.content
    assert not CheckIn.objects.exists()


# What the practitioner sees


def test_the_checkin_appears_on_the_patient_page(client, practitioner, patient, token, activities):
    client.post(checkin_url(token), answers(activities, pain_now="3", active_minutes="135"))
    client.force_login(practitioner)
    page = client.get(patient.get_absolute_url()).content.decode()
    assert 'id="checkins-heading"' in page
    row = page.split('id="checkins-heading"')[1]
    assert f"<td>{TODAY:%-d %b %Y}</td><td>3 / 5 / 7</td>" in row
    assert "<td>Enjoyment 4 · Activity 5</td>" in row  # the PEG's interference items, named
    assert 'PEG interference <span class="fw-normal small">(0-10, lower is better)</span>' in row
    assert "<td>135</td>" in row


def test_no_checkin_section_without_checkins(practitioner_client, patient):
    page = practitioner_client.get(patient.get_absolute_url()).content.decode()
    assert 'id="checkins-heading"' not in page


# The session's pain before and after


def session_readings(session):
    rows = OutcomeReading.objects.filter(session=session)
    return {r.measure: (r.value, r.source, r.taken_on, r.patient_id) for r in rows}


def test_a_logged_session_records_pain_before_and_after_as_readings(practitioner_client, patient):
    url = reverse("sessions:new", kwargs={"patient_uuid": patient.uuid})
    data = session_data(started_at="2025-03-04T10:30", pain_before="7", pain_after="2")
    assert practitioner_client.post(url, data).status_code == 302
    session = patient.treatment_sessions.get()
    day = datetime.date(2025, 3, 4)
    assert session_readings(session) == {
        "session_pain_before": (Decimal("7"), "session", day, patient.pk),
        "session_pain_after": (Decimal("2"), "session", day, patient.pk),
    }


def test_editing_a_draft_replaces_its_readings(practitioner_client, practitioner, patient):
    new = reverse("sessions:new", kwargs={"patient_uuid": patient.uuid})
    practitioner_client.post(new, session_data(pain_before="7", pain_after="2"))
    session = patient.treatment_sessions.get()
    [row] = session.points.all()
    edit = reverse(
        "sessions:edit", kwargs={"patient_uuid": patient.uuid, "session_uuid": session.uuid}
    )
    data = session_data(
        points=[point_row("ST36", "B", id=row.pk)],
        initial_points=1,
        pain_before="6",
        pain_after="",
    )
    assert practitioner_client.post(edit, data).status_code == 302
    values = {measure: value[0] for measure, value in session_readings(session).items()}
    assert values == {"session_pain_before": Decimal("6")}


def test_record_session_readings_writes_before_and_after_once(patient, practitioner):
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner)
    OutcomeReading.objects.filter(session=session).delete()
    record_session_readings(session)
    record_session_readings(session)
    values = session_readings(session)
    day = timezone.localdate(session.started_at)
    assert values == {
        "session_pain_before": (Decimal("6"), "session", day, patient.pk),
        "session_pain_after": (Decimal("3"), "session", day, patient.pk),
    }


def test_a_session_without_pain_scores_records_no_readings(patient, practitioner):
    session = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, pain_before=None, pain_after=None
    )
    record_session_readings(session)
    assert session_readings(session) == {}
