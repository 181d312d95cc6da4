"""Logging a treatment session: the new-session page and the edit page of a draft."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from sessions.models import AdverseEvent, SessionPoint, TreatmentSession
from tests.factories import PatientFactory
from tests.session_factories import (
    ProtocolFactory,
    TreatmentSessionFactory,
    field_error,
    field_tag,
    point_row,
    point_row_error,
    point_row_html,
    posted_points,
    session_data,
)


def new_url(patient):
    return reverse("sessions:new", kwargs={"patient_uuid": patient.uuid})


def edit_url(session):
    return reverse(
        "sessions:edit", kwargs={"patient_uuid": session.patient.uuid, "session_uuid": session.uuid}
    )


def saved_points(session):
    return list(session.points.order_by("order", "id").values_list("point__code", "side", "order"))


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def assert_nothing_saved():
    assert not TreatmentSession.objects.exists()
    assert not SessionPoint.objects.exists()
    assert not AdverseEvent.objects.exists()


@pytest.fixture
def draft(patient, practitioner):
    return TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, pain_before=7, points=[("ST36", "B"), "LI4"]
    )


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


def test_save_and_sign_stores_a_signed_note(practitioner_client, practitioner, patient):
    response = practitioner_client.post(new_url(patient), session_data(action="sign"))

    session = TreatmentSession.objects.get()
    assert response.status_code == 302
    assert response.url == session.get_absolute_url()
    assert (session.status, session.signed_by) == ("signed", practitioner)
    assert timezone.now() - session.signed_at < datetime.timedelta(minutes=1)
    assert saved_points(session) == [("ST36", "B", 0)]


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


# Bad input: 400, the error next to its field, nothing saved, what was typed kept


@pytest.mark.parametrize(
    ("fields", "name", "message"),
    [
        pytest.param({"pain_before": "11"}, "pain_before", "less than or equal to 10", id="11"),
        pytest.param({"pain_before": "-1"}, "pain_before", "greater than or equal to 0", id="-1"),
        pytest.param({"pain_after": "11"}, "pain_after", "less than or equal to 10", id="after-11"),
        pytest.param(
            {"retention_minutes": "-5"}, "retention_minutes", "greater than or equal to 0",
            id="retention--5",
        ),
        pytest.param(
            {"retention_minutes": "121"}, "retention_minutes", "less than or equal to 120",
            id="retention-121",
        ),
    ],
)  # fmt: skip
def test_it_refuses_an_out_of_range_value(practitioner_client, patient, fields, name, message):
    response = practitioner_client.post(new_url(patient), session_data(**fields))

    assert response.status_code == 400
    assert message in field_error(response, name)
    assert list(response.context["form"].errors) == [name]
    assert f'value="{fields[name]}"' in field_tag(response, f"id_{name}")
    assert "Nothing was saved" in response.content.decode()
    assert posted_points(response) == [("ST36", "B")]  # the points typed are kept too
    assert_nothing_saved()


def test_it_refuses_electrical_stimulation_without_a_frequency(practitioner_client, patient):
    data = session_data(electrical=True, electro_frequency_hz="", electro_intensity="2 mA")
    response = practitioner_client.post(new_url(patient), data)

    assert response.status_code == 400
    message = "Electrical stimulation needs its frequency in Hz."
    assert field_error(response, "electro_frequency_hz") == message
    assert field_error(response, "electrical") == ""
    assert "checked" in field_tag(response, "id_electrical")
    assert 'value="2 mA"' in field_tag(response, "id_electro_intensity")
    assert '<details class="card mb-2" id="section-stricta" open>' in response.content.decode()
    assert_nothing_saved()


def test_electrical_stimulation_with_a_frequency_is_saved(practitioner_client, patient):
    data = session_data(electrical=True, electro_frequency_hz="2", electro_waveform="continuous")
    assert practitioner_client.post(new_url(patient), data).status_code == 302
    session = TreatmentSession.objects.get()
    assert (session.electrical, session.electro_frequency_hz) == (True, Decimal("2"))


@pytest.mark.parametrize(
    ("points", "row", "field", "message"),
    [
        pytest.param([("XX9", "B")], 0, "point", "Unknown point code “XX9”.", id="unknown"),
        pytest.param(
            [("ST36", "L"), ("LI4", "B"), ("ST36", "L")], 2, "side",
            "ST36 is already in this session on that side.", id="same-side-twice",
        ),
        pytest.param(
            [("ST36", "B"), ("ST36", "L")], 1, "side",
            "ST36 is already in this session on that side.", id="bilateral-then-left",
        ),
        pytest.param(
            [("ST36", "L"), ("ST36", "B")], 1, "side",
            "ST36 is already in this session on that side.", id="left-then-bilateral",
        ),
        pytest.param(
            [("BL40", "B"), ("UB40", "B")], 1, "side",
            "BL40 is already in this session on that side.", id="legacy-duplicate",
        ),
        pytest.param(
            [("GV20", "L")], 0, "side", "GV20 lies on the midline: choose midline.",
            id="midline-point-on-a-side",
        ),
        pytest.param(
            [("ST36", "M")], 0, "side",
            "ST36 is a paired point: choose left, right or bilateral.", id="paired-point-midline",
        ),
    ],
)  # fmt: skip
def test_it_refuses_a_bad_point_row(practitioner_client, patient, points, row, field, message):
    response = practitioner_client.post(new_url(patient), session_data(points=points))

    assert response.status_code == 400
    assert point_row_error(response, row) == message
    assert "is-invalid" in field_tag(response, f"id_points-{row}-{field}")
    if row:
        assert point_row_error(response, 0) == ""  # the first row was fine
    code, side = points[row]
    assert f'value="{code}"' in point_row_html(response, row)
    assert f'<option value="{side}" selected>' in point_row_html(response, row)
    assert posted_points(response) == list(points)
    assert "Nothing was saved" in response.content.decode()
    assert_nothing_saved()


@pytest.mark.parametrize(
    "points",
    [[("ST36", "L"), ("ST36", "L")], [("BL40", "B"), ("UB40", "B")]],
    ids=["same", "legacy"],
)
def test_the_same_point_and_side_twice_is_refused(practitioner_client, patient, points):
    response = practitioner_client.post(new_url(patient), session_data(points=points))
    assert response.status_code == 400
    assert point_row_error(response, 0) == ""
    assert "already in this session on that side" in point_row_error(response, 1)
    assert posted_points(response) == points
    assert_nothing_saved()


def test_a_point_row_without_a_side_is_refused(practitioner_client, patient):
    response = practitioner_client.post(new_url(patient), session_data(points=[("ST36", "")]))
    assert response.status_code == 400
    assert point_row_error(response, 0) == "This field is required."
    assert_nothing_saved()


# Adding a protocol's points (the no-JavaScript path)


def test_adding_a_protocol_puts_its_points_on_the_form_and_saves_nothing(
    practitioner_client, practitioner, patient
):
    protocol = ProtocolFactory(
        owner=practitioner,
        name="Low back pain",
        points=[("BL23", "B"), ("GV4", "M"), ("ST36", "B")],
    )
    data = session_data(
        points=[("ST36", "B")], action="add_protocol", protocol=protocol.pk, pain_before="8"
    )
    response = practitioner_client.post(new_url(patient), data)

    assert response.status_code == 200
    # ST36 bilateral was typed already: not added twice.
    assert posted_points(response) == [("ST36", "B"), ("BL23", "B"), ("GV4", "M")]
    assert response.context["form"]["pain_before"].value() == "8"
    assert 'value="BL23"' in point_row_html(response, 1)
    assert not response.context["form"].errors
    assert_nothing_saved()
    assert not AuditEvent.objects.filter(object_type__startswith="treatment_sessions.session")


def test_a_protocol_point_already_typed_in_a_legacy_spelling_is_not_added_twice(
    practitioner_client, practitioner, patient
):
    protocol = ProtocolFactory(owner=practitioner, points=[("BL40", "B"), ("LR3", "B")])
    data = session_data(
        points=[("UB40", "B"), ("liv 3", "B")], action="add_protocol", protocol=protocol.pk
    )
    response = practitioner_client.post(new_url(patient), data)
    assert response.status_code == 200
    assert posted_points(response) == [("UB40", "B"), ("liv 3", "B")]


def test_a_protocol_shared_by_a_colleague_can_be_added(
    practitioner_client, second_practitioner, patient
):
    protocol = ProtocolFactory(owner=second_practitioner, shared=True, points=[("PC6", "B")])
    data = session_data(points=[], action="add_protocol", protocol=protocol.pk)
    response = practitioner_client.post(new_url(patient), data)
    assert response.status_code == 200
    assert posted_points(response) == [("PC6", "B")]


def test_a_colleagues_private_protocol_cannot_be_added(
    practitioner_client, second_practitioner, patient
):
    protocol = ProtocolFactory(owner=second_practitioner, shared=False, points=[("PC6", "B")])
    data = session_data(points=[("ST36", "B")], action="add_protocol", protocol=protocol.pk)
    response = practitioner_client.post(new_url(patient), data)
    assert response.status_code == 200
    assert posted_points(response) == [("ST36", "B")]
    assert_nothing_saved()


def test_a_note_with_the_added_protocol_points_can_then_be_saved(
    practitioner_client, practitioner, patient
):
    protocol = ProtocolFactory(owner=practitioner, points=[("BL23", "B"), ("GV4", "M")])
    data = session_data(points=[("ST36", "B")], action="add_protocol", protocol=protocol.pk)
    form_page = practitioner_client.post(new_url(patient), data)
    rows = posted_points(form_page)

    response = practitioner_client.post(new_url(patient), session_data(points=rows))
    assert response.status_code == 302
    session = TreatmentSession.objects.get()
    assert saved_points(session) == [("ST36", "B", 0), ("BL23", "B", 1), ("GV4", "M", 2)]


# Editing a draft


def test_the_author_sees_the_draft_on_the_edit_page(practitioner_client, draft):
    response = practitioner_client.get(edit_url(draft))
    assert response.status_code == 200
    assert response.context["form"]["pain_before"].value() == 7
    assert posted_points(response) == [("ST36", "B"), ("LI4", "B")]
    assert f'value="{draft.points.get(point__code="LI4").pk}"' in field_tag(
        response, "id_points-1-id"
    )


def test_the_author_edits_a_draft(practitioner_client, practitioner, draft):
    st36, li4 = draft.points.order_by("order")
    data = session_data(
        points=[
            point_row("ST36", "L", id=st36.pk),
            point_row("LI4", "B", id=li4.pk, DELETE=True),
            ("GV20", "M"),
        ],
        initial_points=2,
        pain_before="4",
    )
    response = practitioner_client.post(edit_url(draft), data)

    assert response.status_code == 302
    assert response.url == draft.get_absolute_url() + "?saved=draft"
    draft.refresh_from_db()
    assert (draft.pain_before, draft.session_number, draft.status) == (4, 1, "draft")
    assert saved_points(draft) == [("ST36", "L", 0), ("GV20", "M", 2)]
    assert draft.points.get(point__code="ST36").pk == st36.pk  # changed, not replaced
    assert TreatmentSession.objects.count() == 1
    changes = AuditEvent.objects.filter(user=practitioner, patient_uuid=draft.patient.uuid)
    assert changes.filter(action="change", object_type="treatment_sessions.treatmentsession")
    assert changes.filter(action="delete", object_id=str(li4.pk))


def test_the_author_saves_and_signs_a_draft(practitioner_client, practitioner, draft):
    st36, li4 = draft.points.order_by("order")
    data = session_data(
        points=[point_row("ST36", "B", id=st36.pk), point_row("LI4", "B", id=li4.pk)],
        initial_points=2,
        action="sign",
    )
    assert practitioner_client.post(edit_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.signed_by) == ("signed", practitioner)


def test_bad_input_on_the_edit_page_changes_nothing(practitioner_client, draft):
    st36, li4 = draft.points.order_by("order")
    data = session_data(
        points=[point_row("ST36", "B", id=st36.pk), point_row("LI4", "M", id=li4.pk)],
        initial_points=2,
        pain_before="3",
    )
    response = practitioner_client.post(edit_url(draft), data)

    assert response.status_code == 400
    assert point_row_error(response, 1) == "LI4 is a paired point: choose left, right or bilateral."
    draft.refresh_from_db()
    assert draft.pain_before == 7
    assert saved_points(draft) == [("ST36", "B", 0), ("LI4", "B", 1)]


def test_the_left_side_of_a_point_already_bilateral_in_the_draft_is_refused(
    practitioner_client, draft
):
    st36, li4 = draft.points.order_by("order")
    data = session_data(
        points=[point_row("ST36", "B", id=st36.pk), point_row("LI4", "B", id=li4.pk),
                ("ST36", "L")],
        initial_points=2,
    )  # fmt: skip
    response = practitioner_client.post(edit_url(draft), data)

    assert saved_points(draft) == [("ST36", "B", 0), ("LI4", "B", 1)]
    assert response.status_code == 400
    assert point_row_error(response, 2) == "ST36 is already in this session on that side."


def test_the_same_side_of_a_point_already_in_the_draft_is_refused(practitioner_client, draft):
    st36, li4 = draft.points.order_by("order")
    data = session_data(
        points=[point_row("ST36", "B", id=st36.pk), point_row("LI4", "B", id=li4.pk),
                ("ST36", "B")],
        initial_points=2,
    )  # fmt: skip
    response = practitioner_client.post(edit_url(draft), data)

    assert response.status_code == 400
    assert point_row_error(response, 2) != ""
    assert saved_points(draft) == [("ST36", "B", 0), ("LI4", "B", 1)]


def test_another_practitioner_cannot_edit_a_draft(client, second_practitioner, draft):
    client.force_login(second_practitioner)
    assert client.get(edit_url(draft)).status_code == 403
    st36, li4 = draft.points.order_by("order")
    data = session_data(
        points=[point_row("ST36", "B", id=st36.pk), point_row("LI4", "B", id=li4.pk)],
        initial_points=2,
        pain_before="1",
    )
    response = client.post(edit_url(draft), data)
    assert response.status_code == 403
    assert "Only the practitioner who wrote this draft" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.pain_before, draft.practitioner.username) == (7, "lin")


def test_a_clinic_admin_cannot_edit_a_draft(admin_client_, draft):
    assert admin_client_.get(edit_url(draft)).status_code == 403
    assert admin_client_.post(edit_url(draft), session_data(pain_before="1")).status_code == 403
    draft.refresh_from_db()
    assert draft.pain_before == 7


def test_an_outsider_cannot_edit_a_draft(outsider_client, draft):
    assert outsider_client.get(edit_url(draft)).status_code == 403


def test_a_signed_note_cannot_be_edited(practitioner_client, practitioner, patient):
    session = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, signed=True, pain_before=7, points=["ST36"]
    )
    response = practitioner_client.get(edit_url(session))
    assert response.status_code == 409
    assert "This note is signed and cannot be changed" in response.content.decode()


def test_a_crafted_post_to_the_edit_page_of_a_signed_note_changes_nothing(
    practitioner_client, practitioner, patient
):
    session = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, signed=True, pain_before=7, points=["ST36"]
    )
    before = TreatmentSession.objects.values().get(pk=session.pk)
    row = session.points.get()
    data = session_data(
        points=[point_row("ST36", "L", id=row.pk), ("GV20", "M")],
        initial_points=1,
        pain_before="1",
        action="sign",
    )
    response = practitioner_client.post(edit_url(session), data)

    assert response.status_code == 409
    assert TreatmentSession.objects.values().get(pk=session.pk) == before
    assert saved_points(session) == [("ST36", "B", 0)]
    assert not AuditEvent.objects.filter(action__in=["change", "delete"], user=practitioner)


def test_an_edit_url_under_another_patient_is_a_404(practitioner_client, draft):
    other = PatientFactory()
    url = reverse("sessions:edit", kwargs={"patient_uuid": other.uuid, "session_uuid": draft.uuid})
    assert practitioner_client.get(url).status_code == 404


def test_an_edit_from_a_stale_page_that_repeats_a_saved_point_is_refused_not_a_500(
    practitioner_client, practitioner, patient
):
    """The page was opened before ST36 was saved (two tabs): its new ST36 row would break
    the one-row-a-point-and-side rule in the database."""
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["ST36"])
    response = practitioner_client.post(edit_url(session), session_data(points=[("ST36", "B")]))
    assert response.status_code == 400
    assert "ST36 is already in this session on that side." in response.content.decode()
    assert saved_points(session) == [("ST36", "B", 0)]


@pytest.mark.parametrize("count", [2, 8])
def test_the_edit_page_query_count_does_not_grow_with_the_points(
    practitioner_client, practitioner, patient, count, django_assert_num_queries
):
    codes = ["ST36", "LI4", "SP6", "LR3", "PC6", "GB34", "KI3", "BL40"][:count]
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=codes)
    # 1 session, 2 user, 3 permissions, 4 the note with its patient, 5 its points (the
    # timeline's prefetch), 6 audit insert, 7 the protocols (none, so no points), 8 the
    # formset's rows with their catalogue points (once, however often the formset asks:
    # it was once a query a form), 9 the codes they name, 10 those catalogue points,
    # 11 the adverse events.
    with django_assert_num_queries(11):
        assert practitioner_client.get(edit_url(session)).status_code == 200
