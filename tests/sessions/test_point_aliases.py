"""The spellings a practitioner types for a point (CLINICAL.md 3, issue 13): the short
channel forms (K, KID, KD, TB, H, G, Co), GV29 for Yintang, the other pinyin names
(Huatuojiaji, Renzhong); and what is no code (GV24+) names no point. The search and a
typed point row agree, and a clinic's own code typed exactly wins over an alias."""

import pytest

from sessions.models import AcupuncturePoint, code_prefix
from tests.session_factories import TreatmentSessionFactory
from tests.session_helpers import new_url, point_row, posted_points, session_data

pytestmark = pytest.mark.django_db


def codes(query):
    return [point.code for point in AcupuncturePoint.objects.search(query)]


ALIASES = [
    ("KID3", "KI3"), ("K3", "KI3"), ("KD 3", "KI3"), ("kid-3", "KI3"), ("K27", "KI27"),
    ("TB5", "TE5"), ("tb 5", "TE5"), ("H7", "HT7"), ("h 7", "HT7"), ("G34", "GB34"),
    ("g-20", "GB20"), ("Co4", "LI4"), ("CO 11", "LI11"), ("GV29", "EX-HN3"),
    ("gv 29", "EX-HN3"), ("Du29", "EX-HN3"), ("huatuojiaji", "EX-B2"), ("Hua Tuo Jia Ji", "EX-B2"),
    ("huatuo", "EX-B2"), ("renzhong", "GV26"), ("Rénzhōng", "GV26"), ("shuigou", "GV26"),
    ("jiaji", "EX-B2"), ("yintang", "EX-HN3"),
]  # fmt: skip


@pytest.mark.parametrize("query, first", ALIASES)
def test_the_search_finds_the_point_a_common_spelling_names(query, first):
    assert codes(query)[0] == first


@pytest.mark.parametrize(
    "query, code",
    [("K3", "KI3"), ("KID", "KI"), ("TB", "TE"), ("H", "HT"), ("G", "GB"), ("Co", "LI"),
     ("GV29", "EX-HN3"), ("GV2", "GV2"), ("GV24+", None), ("LI4?", None), ("ST36", "ST36")],
)  # fmt: skip
def test_code_prefix_reads_the_short_forms_and_no_more(query, code):
    assert code_prefix(query) == code


@pytest.mark.parametrize("query", ["GV24+", "gv24+", "GV 24+", "ST36!"])
def test_a_code_with_a_stray_sign_names_no_point(query):
    assert codes(query) == []


def test_gv29_is_not_a_governor_vessel_point_beyond_gv28():
    assert not AcupuncturePoint.objects.filter(code="GV29").exists()
    assert codes("GV2")[:1] == ["GV2"] and "EX-HN3" not in codes("GV2")


def test_a_clinics_own_code_typed_exactly_wins_over_the_colon_alias():
    AcupuncturePoint.objects.create(
        code="CO4", channel="CLINIC", pinyin="Concha", region="ear", caution=""
    )
    assert codes("CO4")[:2] == ["CO4", "LI4"]
    assert codes("co 4")[0] == "LI4"  # spaced, it is the canonical code's


# The same spellings in a point row of the session form.


@pytest.mark.parametrize(
    "typed, code, side",
    [("GV29", "EX-HN3", "M"), ("KID3", "KI3", "B"), ("TB5", "TE5", "L"), ("Co4", "LI4", "R")],
)
def test_a_point_row_takes_the_spelling_and_saves_the_catalogue_code(
    practitioner_client, patient, typed, code, side
):
    response = practitioner_client.post(new_url(patient), session_data(points=[(typed, side)]))
    assert response.status_code == 302
    saved = patient.treatment_sessions.get()
    assert list(saved.points.values_list("point__code", "side")) == [(code, side)]


def test_a_point_row_with_gv24_plus_is_refused_next_to_it_and_keeps_what_was_typed(
    practitioner_client, patient
):
    response = practitioner_client.post(
        new_url(patient), session_data(points=[point_row("GV24+", "M")])
    )
    assert response.status_code == 400
    assert "Unknown point code “GV24+”." in response.content.decode()
    assert posted_points(response) == [("GV24+", "M")]
    assert not patient.treatment_sessions.exists()


def test_a_clinic_point_typed_exactly_is_the_clinics_in_a_point_row(practitioner_client, patient):
    AcupuncturePoint.objects.create(
        code="CO4", channel="CLINIC", pinyin="Concha", region="ear", caution=""
    )
    response = practitioner_client.post(new_url(patient), session_data(points=[("CO4", "L")]))
    assert response.status_code == 302
    assert patient.treatment_sessions.get().points.get().point.code == "CO4"


def test_repeating_a_note_keeps_a_point_typed_by_an_alias(practitioner_client, patient):
    TreatmentSessionFactory(patient=patient, practitioner=patient.practitioner, points=["KI3"])
    response = practitioner_client.get(new_url(patient))
    assert posted_points(response)[:1] == [("KI3", "B")]
