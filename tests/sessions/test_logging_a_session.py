"""Logging a treatment session on the new-session page: who may, what the form starts from,
and what saving stores. (Refusals: test_session_form_refusals.py; a protocol's points:
test_adding_a_protocol.py; the edit page of a draft: test_editing_a_draft.py.)"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from sessions.models import TreatmentSession
from tests.factories import PatientFactory
from tests.html import field_tag, point_row_html
from tests.session_factories import TreatmentSessionFactory
from tests.session_helpers import (
    assert_nothing_saved,
    new_url,
    note_url,
    point_row,
    posted_points,
    saved_points,
    session_data,
)


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


# Who may log a session


def test_an_anonymous_visitor_is_sent_to_log_in(client, patient):
    for response in (client.get(new_url(patient)), client.post(new_url(patient), session_data())):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert_nothing_saved()


def test_a_user_without_a_role_is_refused(outsider_client, patient):
    assert outsider_client.get(new_url(patient)).status_code == 403
    assert outsider_client.post(new_url(patient), session_data()).status_code == 403
    assert_nothing_saved()


def test_a_clinic_admin_cannot_log_a_session(admin_client_, patient):
    assert admin_client_.get(new_url(patient)).status_code == 403
    assert admin_client_.post(new_url(patient), session_data()).status_code == 403
    assert_nothing_saved()


def test_it_refuses_a_session_for_an_archived_patient(practitioner_client, patient):
    patient.archive()
    response = practitioner_client.get(new_url(patient))
    assert response.status_code == 409
    assert "This patient is archived" in response.content.decode()
    response = practitioner_client.post(new_url(patient), session_data())
    assert response.status_code == 409
    assert "Restore the record before logging a session" in response.content.decode()
    assert_nothing_saved()


def test_a_session_for_an_unknown_patient_is_a_404(practitioner_client, patient):
    unknown = PatientFactory.build()  # never saved: its uuid is nobody's
    assert practitioner_client.get(new_url(unknown)).status_code == 404


# The new-session page


def test_a_new_note_starts_from_the_patients_last_session(
    practitioner_client, practitioner, second_practitioner, patient
):
    last = TreatmentSessionFactory(
        patient=patient,
        practitioner=second_practitioner,
        started_at=days_ago(7),
        signed=True,
        retention_minutes=35,
        needle_length_mm=30,
        pattern_diagnosis="Kidney deficiency",
        points=[("ST36", "L"), "GV20", ("LI4", "R")],
    )
    # Entered later, but for an earlier visit: not the one to repeat.
    TreatmentSessionFactory(
        patient=patient,
        practitioner=practitioner,
        started_at=days_ago(14),
        retention_minutes=15,
        points=["LR3"],
    )
    TreatmentSessionFactory(retention_minutes=45, points=["KI3"])  # another patient's

    response = practitioner_client.get(new_url(patient))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["retention_minutes"].value() == 35
    assert form["needle_length_mm"].value() == 30
    assert form["pattern_diagnosis"].value() == "Kidney deficiency"
    assert form["pain_before"].value() is None  # today's pain is not copied
    assert posted_points(response) == [("ST36", "L"), ("GV20", "M"), ("LI4", "R")]
    assert 'value="35"' in field_tag(response, "id_retention_minutes")
    assert 'value="ST36"' in point_row_html(response, 0)
    assert '<option value="L" selected>' in point_row_html(response, 0)
    assert f"Started from session {last.session_number}" in response.content.decode()
    assert TreatmentSession.objects.count() == 3  # showing the form saves nothing


def test_a_first_note_starts_from_the_practitioners_defaults(
    practitioner_client, practitioner, patient
):
    profile = practitioner.practitioner_profile
    profile.default_retention_minutes = 25
    profile.default_needle_length_mm = 30
    profile.default_needle_diameter_mm = Decimal("0.20")
    profile.acupuncture_style = "japanese"
    profile.save()

    response = practitioner_client.get(new_url(patient))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["retention_minutes"].value() == 25
    assert form["needle_length_mm"].value() == 30
    assert form["needle_diameter_mm"].value() == Decimal("0.20")
    assert form["style"].value() == "japanese"
    assert posted_points(response) == []
    assert "Started from session" not in response.content.decode()


# Saving


def test_saving_a_draft_stores_the_note_its_points_and_adverse_events(
    practitioner_client, practitioner, patient
):
    data = session_data(
        points=[("ST36", "B"), point_row("LI4", "L", depth_mm="10", manual_technique="reducing"),
                ("GV20", "M")],
        adverse=[{"category": "bleeding", "severity": "mild", "description": "Small bruise."}],
    )  # fmt: skip
    response = practitioner_client.post(new_url(patient), data)

    session = TreatmentSession.objects.get()
    assert response.status_code == 302
    assert response.url == session.get_absolute_url() + "?saved=draft"
    assert (session.patient, session.practitioner) == (patient, practitioner)
    assert (session.status, session.session_number) == ("draft", 1)
    assert (session.pain_before, session.pain_after, session.retention_minutes) == (6, 3, 20)
    assert session.started_at == datetime.datetime(2025, 3, 4, 10, 30, tzinfo=datetime.UTC)
    assert saved_points(session) == [("ST36", "B", 0), ("LI4", "L", 1), ("GV20", "M", 2)]
    li4 = session.points.get(point__code="LI4")
    assert (li4.depth_mm, li4.manual_technique) == (Decimal("10"), "reducing")
    assert session.needle_count == 4
    event = session.adverse_events.get()
    assert (event.category, event.severity, event.description) == (
        "bleeding",
        "mild",
        "Small bruise.",
    )


def test_saving_a_draft_is_audited_as_the_practitioner(practitioner_client, practitioner, patient):
    practitioner_client.post(new_url(patient), session_data(points=[("ST36", "B"), ("GV20", "M")]))

    session = TreatmentSession.objects.get()
    created = AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE,
        patient_uuid=patient.uuid,
        object_type__startswith="treatment_sessions.",
    )
    assert sorted(created.values_list("object_type", flat=True)) == [
        "treatment_sessions.sessionpoint",
        "treatment_sessions.sessionpoint",
        "treatment_sessions.treatmentsession",
    ]
    assert created.get(object_type="treatment_sessions.treatmentsession").object_id == str(
        session.pk
    )
    points = created.filter(object_type="treatment_sessions.sessionpoint")
    assert set(points.values_list("object_id", flat=True)) == {
        str(pk) for pk in session.points.values_list("pk", flat=True)
    }
    assert set(created.values_list("user", "actor")) == {(practitioner.pk, "lin")}


def test_the_next_note_takes_the_next_session_number(practitioner_client, patient):
    other = PatientFactory()
    TreatmentSessionFactory(patient=other)  # another patient's course is numbered apart
    for _ in range(2):
        assert practitioner_client.post(new_url(patient), session_data()).status_code == 302
    numbers = patient.treatment_sessions.order_by("id").values_list("session_number", flat=True)
    assert list(numbers) == [1, 2]


def test_save_and_sign_saves_the_draft_and_opens_the_sign_review(
    practitioner_client, practitioner, patient
):
    response = practitioner_client.post(new_url(patient), session_data(action="sign"))

    session = TreatmentSession.objects.get()
    assert (response.status_code, response.url) == (302, note_url("sign", session))
    assert session.status == "draft"
    assert saved_points(session) == [("ST36", "B", 0)]
    data = {"version": session.version, "sign_past_missing": "on"}
    assert practitioner_client.post(response.url, data).status_code == 302
    session.refresh_from_db()
    assert (session.status, session.signed_by) == ("signed", practitioner)
    assert timezone.now() - session.signed_at < datetime.timedelta(minutes=1)


def test_left_and_right_of_the_same_point_are_two_rows(practitioner_client, patient):
    data = session_data(points=[("ST36", "L"), ("ST36", "R")])
    assert practitioner_client.post(new_url(patient), data).status_code == 302
    assert saved_points(TreatmentSession.objects.get()) == [("ST36", "L", 0), ("ST36", "R", 1)]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("UB40", "BL40"), ("liv 3", "LR3"), ("SJ-5", "TE5"), ("st 36", "ST36"), ("Du20", "GV20")],
)
def test_it_stores_a_legacy_point_code_as_the_who_code(practitioner_client, patient, typed, stored):
    side = "M" if stored == "GV20" else "B"
    response = practitioner_client.post(new_url(patient), session_data(points=[(typed, side)]))
    assert response.status_code == 302
    assert saved_points(TreatmentSession.objects.get()) == [(stored, side, 0)]


def test_it_stores_several_legacy_codes_in_one_note(practitioner_client, patient):
    data = session_data(points=[("UB40", "B"), ("liv 3", "L"), ("SJ-5", "R")])
    assert practitioner_client.post(new_url(patient), data).status_code == 302
    assert saved_points(TreatmentSession.objects.get()) == [
        ("BL40", "B", 0),
        ("LR3", "L", 1),
        ("TE5", "R", 2),
    ]
