"""Adding a protocol's points to the session form (the no-JavaScript path): they join the
form, nothing is saved until the practitioner saves."""

from audit.models import AuditEvent
from sessions.models import TreatmentSession
from tests.html import point_row_html
from tests.session_factories import ProtocolFactory
from tests.session_helpers import (
    assert_nothing_saved,
    new_url,
    posted_points,
    saved_points,
    session_data,
)


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
