"""Bad input on the new-session page: a 400, the error next to its field, nothing saved, and
what was typed kept."""

from decimal import Decimal

import pytest

from sessions.models import TreatmentSession
from tests.html import field_error, field_tag, point_row_error, point_row_html
from tests.session_helpers import assert_nothing_saved, new_url, posted_points, session_data


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
