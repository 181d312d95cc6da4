"""The STRICTA details issue 13 (item 7) adds to a note: dense-disperse's second frequency
(2/100 Hz), an "other" co-intervention in words, and a needle per point row that defaults
to the session's. Each rule both ways, in the form (a message by the field, a 400, the typed
input kept) and in the database; the note's page shows them; a signed note keeps them."""

from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from sessions.models import SECOND_FREQUENCY_ONLY_DENSE_DISPERSE, SessionPoint, TreatmentSession
from tests.html import field_error, field_tag, text
from tests.session_factories import TreatmentSessionFactory, point
from tests.session_helpers import (
    log_session,
    new_url,
    note_url,
    point_row,
    posted_points,
    session_data,
)

pytestmark = pytest.mark.django_db

DENSE_DISPERSE = {
    "electrical": True, "electro_frequency_hz": "2", "electro_frequency_2_hz": "100",
    "electro_waveform": "dense_disperse", "electro_intensity": "to tolerance",
}  # fmt: skip


# Dense-disperse: a second frequency


def test_dense_disperse_is_saved_with_its_two_frequencies_and_shown_as_2_100_hz(
    practitioner_client, patient
):
    session = log_session(practitioner_client, patient, **DENSE_DISPERSE)
    assert (session.electro_frequency_hz, session.electro_frequency_2_hz) == (
        Decimal("2.0"),
        Decimal("100.0"),
    )
    page = text(practitioner_client.get(session.get_absolute_url()).content.decode())
    assert "electrical 2/100 Hz, to tolerance, dense-disperse" in page
    review = text(practitioner_client.get(note_url("sign", session)).content.decode())
    assert "electrical 2/100 Hz." in review


@pytest.mark.parametrize(
    "changes",
    [
        {"electro_waveform": "continuous"},
        {"electro_waveform": ""},
        {"electrical": None, "electro_waveform": "", "electro_frequency_hz": ""},
    ],
    ids=["continuous", "no-waveform", "no-electrical-stimulation"],
)
def test_a_second_frequency_without_dense_disperse_is_refused_by_its_field(
    practitioner_client, patient, changes
):
    data = session_data(**(DENSE_DISPERSE | changes))
    response = practitioner_client.post(new_url(patient), data)
    assert response.status_code == 400
    assert field_error(response, "electro_frequency_2_hz") == SECOND_FREQUENCY_ONLY_DENSE_DISPERSE
    assert 'value="100"' in field_tag(response, "id_electro_frequency_2_hz")
    assert not TreatmentSession.objects.exists()


@pytest.mark.parametrize("typed", ["0", "0.4", "201", "fast"])
def test_a_second_frequency_out_of_range_is_refused_by_its_field(
    practitioner_client, patient, typed
):
    data = session_data(**(DENSE_DISPERSE | {"electro_frequency_2_hz": typed}))
    response = practitioner_client.post(new_url(patient), data)
    assert response.status_code == 400
    assert field_error(response, "electro_frequency_2_hz")
    assert not TreatmentSession.objects.exists()


def test_dense_disperse_with_one_frequency_is_still_fine(practitioner_client, patient):
    session = log_session(
        practitioner_client, patient, **(DENSE_DISPERSE | {"electro_frequency_2_hz": ""})
    )
    assert session.electro_frequency_2_hz is None and session.frequency == "2 Hz"


@pytest.mark.parametrize(
    "changes",
    [
        {"electro_frequency_2_hz": Decimal("100"), "electro_waveform": "continuous"},
        {"electro_frequency_2_hz": Decimal("0.4"), "electro_waveform": "dense_disperse"},
        {"electro_frequency_2_hz": Decimal("250"), "electro_waveform": "dense_disperse"},
    ],
    ids=["not-dense-disperse", "below-0.5", "above-200"],
)
def test_the_database_refuses_a_bad_second_frequency(draft, changes):
    draft_row = TreatmentSession.objects.filter(pk=draft.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        draft_row.update(electrical=True, electro_frequency_hz=Decimal("2"), **changes)


def test_the_database_takes_a_dense_disperse_second_frequency(draft):
    TreatmentSession.objects.filter(pk=draft.pk).update(
        electrical=True, electro_frequency_hz=Decimal("2"), electro_frequency_2_hz=100,
        electro_waveform="dense_disperse",
    )  # fmt: skip
    assert TreatmentSession.objects.get(pk=draft.pk).frequency == "2/100 Hz"


# An "other" co-intervention


def test_an_other_co_intervention_is_saved_and_shown_with_the_rest(practitioner_client, patient):
    session = log_session(
        practitioner_client, patient, moxibustion=True, other_co_intervention="TENS"
    )
    assert session.co_interventions == ["moxibustion", "other: TENS"]
    page = text(practitioner_client.get(session.get_absolute_url()).content.decode())
    assert "moxibustion, other: TENS" in page


def test_no_other_co_intervention_adds_nothing(practitioner_client, patient):
    session = log_session(practitioner_client, patient, cupping=True)
    assert session.co_interventions == ["cupping"]


def test_an_overlong_other_co_intervention_is_refused_by_its_field(practitioner_client, patient):
    response = practitioner_client.post(
        new_url(patient), session_data(other_co_intervention="x" * 201)
    )
    assert response.status_code == 400
    assert field_error(response, "other_co_intervention")


# A needle per point row, defaulting to the session's


def test_a_point_row_keeps_its_own_needle_and_the_others_the_sessions(practitioner_client, patient):
    rows = [
        ("ST36", "B"),
        point_row("EX-B2", "B", needle_diameter_mm="0.20", needle_length_mm="25"),
    ]
    session = log_session(practitioner_client, patient, points=rows)
    by_code = {row.point.code: row for row in session.points.select_related("point", "session")}
    assert by_code["ST36"].needle_type == "0.25 x 40 mm" and not by_code["ST36"].own_needle
    assert by_code["EX-B2"].needle_type == "0.20 x 25 mm"
    page = text(practitioner_client.get(session.get_absolute_url()).content.decode())
    assert "EX-B2 Jiaji · bilateral · 0.20 x 25 mm" in page
    assert "ST36 Zusanli · bilateral ·" not in page


def test_a_row_with_only_its_own_length_takes_the_sessions_diameter(practitioner_client, patient):
    session = log_session(
        practitioner_client, patient, points=[point_row("ST36", "B", needle_length_mm="60")]
    )
    assert session.points.get().needle_type == "0.25 x 60 mm"


@pytest.mark.parametrize(
    "field, typed",
    [("needle_diameter_mm", "0.05"), ("needle_diameter_mm", "0.6"), ("needle_diameter_mm", "x"),
     ("needle_length_mm", "4"), ("needle_length_mm", "151"), ("needle_length_mm", "4.5")],
)  # fmt: skip
def test_a_rows_needle_out_of_range_is_refused_by_the_row_and_kept(
    practitioner_client, patient, field, typed
):
    response = practitioner_client.post(
        new_url(patient), session_data(points=[point_row("ST36", "B", **{field: typed})])
    )
    assert response.status_code == 400
    assert response.context["points"].forms[0].errors[field]
    assert f'value="{typed}"' in response.content.decode()
    assert posted_points(response) == [("ST36", "B")]
    assert not TreatmentSession.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [{"needle_diameter_mm": Decimal("0.05")}, {"needle_diameter_mm": Decimal("0.55")},
     {"needle_length_mm": 4}, {"needle_length_mm": 151}],
)  # fmt: skip
def test_the_database_refuses_a_rows_needle_out_of_range(draft, changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionPoint.objects.filter(session=draft).update(**changes)


def test_repeating_the_last_note_copies_the_rows_needles_and_the_second_frequency(
    practitioner_client, patient, practitioner
):
    last = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, electrical=True,
        electro_frequency_hz=Decimal("2"), electro_frequency_2_hz=Decimal("100"),
        electro_waveform="dense_disperse",
    )  # fmt: skip
    SessionPoint.objects.create(
        session=last, point=point("EX-B2"), side="B", needles_per_side=3,
        needle_diameter_mm=Decimal("0.20"), needle_length_mm=25,
    )  # fmt: skip
    response = practitioner_client.get(new_url(patient))
    row = response.context["points"].forms[0]
    assert (row["needles_per_side"].value(), row["needle_length_mm"].value()) == (3, 25)
    assert response.context["form"]["electro_frequency_2_hz"].value() == Decimal("100.0")


# A signed note keeps the new details: the database refuses to change them (both databases).


@pytest.fixture
def signed(patient, practitioner):
    return TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, signed=True, points=["EX-B2"],
        electrical=True, electro_frequency_hz=Decimal("2"), electro_waveform="dense_disperse",
    )  # fmt: skip


@pytest.mark.parametrize(
    "changes",
    [{"electro_frequency_2_hz": Decimal("100")}, {"other_co_intervention": "TENS"}],
)
def test_the_database_refuses_to_change_a_signed_notes_new_details(signed, changes):
    with pytest.raises(DatabaseError), transaction.atomic():
        TreatmentSession.objects.filter(pk=signed.pk).update(**changes)
    stored = TreatmentSession.objects.get(pk=signed.pk)
    assert (stored.electro_frequency_2_hz, stored.other_co_intervention) == (None, "")


@pytest.mark.parametrize(
    "changes",
    [{"needles_per_side": 3}, {"needle_diameter_mm": Decimal("0.20")}, {"needle_length_mm": 25}],
)
def test_the_database_refuses_to_change_a_signed_notes_rows_new_details(signed, changes):
    with pytest.raises(DatabaseError), transaction.atomic():
        SessionPoint.objects.filter(session=signed).update(**changes)
    row = SessionPoint.objects.get(session=signed)
    assert (row.needles_per_side, row.needle_diameter_mm, row.needle_length_mm) == (
        None,
        None,
        None,
    )
