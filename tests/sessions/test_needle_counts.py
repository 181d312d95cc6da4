"""A session's needles (CLINICAL.md 3, issue 13): per point, its needles per side times its
sides. The midline extra points are one needle on the midline (Yintang), the group points
several by definition (Baxie 4 a hand), and a row may say its own count (three Jiaji
levels). The note, the patient's summary and the page all count the same way."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from patients.models import PatientSummary
from sessions.models import AcupuncturePoint, SessionPoint, side_error
from tests.html import text
from tests.session_factories import SessionPointFactory, TreatmentSessionFactory, point
from tests.session_helpers import new_url, note_url, point_row, posted_points, session_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def note(patient, practitioner):
    """Yintang, Baxie on both hands, and Jiaji at three levels on both sides."""
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner)
    SessionPointFactory(session=session, code="EX-HN3", side="M")
    SessionPointFactory(session=session, code="EX-UE9", side="B")
    SessionPointFactory(session=session, code="EX-B2", side="B", needles_per_side=3)
    PatientSummary.objects.refresh(patient)
    return session


def test_yintang_baxie_bilateral_and_three_jiaji_levels_are_fifteen_needles(note):
    rows = {row.point.code: row.needle_count for row in note.points.select_related("point")}
    assert rows == {"EX-HN3": 1, "EX-UE9": 8, "EX-B2": 6}
    assert note.needle_count == 15


def test_the_summary_counts_the_same_fifteen(note, patient):
    assert PatientSummary.objects.get(patient=patient).needles == 15


def test_the_summary_and_the_note_agree_for_every_kind_of_row(patient, practitioner):
    session = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner,
        points=[("ST36", "B"), ("LI4", "L"), "GV20", ("EX-HN1", "M"), ("EX-UE11", "R")],
    )  # fmt: skip
    PatientSummary.objects.refresh(patient)
    assert session.needle_count == 2 + 1 + 1 + 4 + 5
    assert PatientSummary.objects.get(patient=patient).needles == session.needle_count


@pytest.mark.parametrize(
    "code, per_side",
    [("EX-HN3", 1), ("EX-HN1", 4), ("EX-UE9", 4), ("EX-LE10", 4), ("EX-UE11", 5), ("EX-B2", 1),
     ("ST36", 1)],
)  # fmt: skip
def test_the_catalogue_carries_each_points_needles_per_side(code, per_side):
    assert point(code).needles_per_side == per_side


# Sides: the midline extra points are midline, the others paired (form rule, both ways).


@pytest.mark.parametrize("code", ["EX-HN3", "EX-HN1", "EX-HN10", "EX-HN11", "EX-B8", "EX-B9"])
def test_a_midline_extra_point_takes_midline_and_refuses_a_side(code):
    assert side_error(point(code), "M") is None
    assert side_error(point(code), "B") == f"{code} lies on the midline: choose midline."


@pytest.mark.parametrize("code", ["EX-UE9", "EX-B2", "EX-HN5", "ST36"])
def test_a_paired_point_takes_a_side_and_refuses_midline(code):
    assert side_error(point(code), "B") is None
    assert "is a paired point" in side_error(point(code), "M")


def test_a_clinic_point_takes_any_side_unless_marked_midline():
    ear = AcupuncturePoint.objects.create(
        code="EAR-SHENMEN", channel="CLINIC", pinyin="Shenmen", region="ear"
    )
    assert side_error(ear, "M") is None and side_error(ear, "L") is None
    ear.midline = True
    assert side_error(ear, "L") is not None


# The form: a row's own count, and bad counts refused next to the row.


def test_a_practitioner_logs_three_jiaji_levels_and_sees_fifteen_needles(
    practitioner_client, patient
):
    rows = [("EX-HN3", "M"), ("EX-UE9", "B"), point_row("EX-B2", "B", needles_per_side="3")]
    response = practitioner_client.post(new_url(patient), session_data(points=rows))
    assert response.status_code == 302
    saved = patient.treatment_sessions.get()
    assert saved.needle_count == 15
    page = practitioner_client.get(saved.get_absolute_url())
    assert "15 needles" in text(page.content.decode())


@pytest.mark.parametrize("typed", ["0", "21", "-1", "2.5", "many"])
def test_a_bad_needle_count_is_refused_next_to_its_row_and_the_row_is_kept(
    practitioner_client, patient, typed
):
    rows = [point_row("EX-B2", "B", needles_per_side=typed)]
    response = practitioner_client.post(new_url(patient), session_data(points=rows))
    assert response.status_code == 400
    row = response.context["points"].forms[0]
    assert row.errors["needles_per_side"]
    assert posted_points(response) == [("EX-B2", "B")]
    assert f'value="{typed}"' in response.content.decode()
    assert not patient.treatment_sessions.exists()


def test_yintang_bilateral_is_refused_next_to_its_side(practitioner_client, patient):
    response = practitioner_client.post(new_url(patient), session_data(points=[("EX-HN3", "B")]))
    assert response.status_code == 400
    assert response.context["points"].forms[0].errors["side"] == [
        "EX-HN3 lies on the midline: choose midline."
    ]


# The database keeps the counts in range whatever the form says.


@pytest.mark.parametrize("needles", [0, 21])
def test_the_database_refuses_a_rows_count_out_of_range(draft, needles):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionPoint.objects.filter(session=draft).update(needles_per_side=needles)


@pytest.mark.parametrize(
    "changes",
    [{"needles_per_side": 0}, {"needles_per_side": 21}],
)
def test_the_database_refuses_a_points_count_out_of_range(changes):
    with pytest.raises(IntegrityError), transaction.atomic():
        AcupuncturePoint.objects.filter(code="ST36").update(**changes)


def test_the_database_keeps_gv_and_cv_on_the_midline_and_channel_points_paired():
    with pytest.raises(IntegrityError), transaction.atomic():
        AcupuncturePoint.objects.filter(code="GV20").update(midline=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        AcupuncturePoint.objects.filter(code="ST36").update(midline=True)
    AcupuncturePoint.objects.filter(code="EX-HN5").update(midline=True)  # an extra point may


def test_a_row_without_its_own_needle_names_the_sessions(draft):
    row = draft.points.select_related("session").first()
    assert not row.own_needle
    assert row.needle_type == f"{draft.needle_diameter_mm} x {draft.needle_length_mm} mm"
    row.needle_diameter_mm, row.needle_length_mm = Decimal("0.30"), 25
    assert row.own_needle and row.needle_type == "0.30 x 25 mm"


def test_the_sign_review_counts_the_same_fifteen_per_point(practitioner_client, note):
    SessionPoint.objects.filter(session=note, point__code="EX-B2").update(needle_length_mm=25)
    page = text(practitioner_client.get(note_url("sign", note)).content.decode())
    assert "15 needles" in page
    assert "EX-UE9 Baxie · bilateral · 8 needles" in page
    assert "EX-B2 Jiaji · bilateral · 6 needles · 0.25 x 25 mm" in page
    assert "EX-HN3 Yintang · midline ·" not in page  # one needle, said by the total
