"""The codes in the CSV exports (CLINICAL.md section 7, issue 13 item 10; docs/exports.md):
a reading carries its LOINC code (or the clinic's local one) beside the app's name of the
measure; a session carries the pain NRS and acupuncture procedure codes and every STRICTA
item; the points export a row per point with its laterality code. For Ana, whose intake
and one session are known."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from patients.codes import LOCAL, LOINC
from tests.factories import StartedCourseFactory
from tests.progress_helpers import days_ago
from tests.session_factories import SessionOnDateFactory, SessionPointFactory

pytestmark = pytest.mark.django_db
URL = reverse("patients:export")


def export(client, what, deidentified=False):
    response = client.get(URL, {"what": what, **({"deidentified": "on"} if deidentified else {})})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def ana(patient, practitioner):
    """Ana's accepted intake 30 days ago (the baseline readings) and one signed session 20
    days ago: Yintang, Baxie on both hands, Jiaji at three levels with a finer needle at
    15 mm, dense-disperse electroacupuncture at 2/100 Hz, moxibustion and TENS."""
    StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(30))
    session = SessionOnDateFactory(
        patient=patient, practitioner=practitioner, on=days_ago(20), points=[], signed=True,
        pain_before=7, pain_after=4, needle_diameter_mm=Decimal("0.25"), needle_length_mm=40,
        needle_material="steel, Seirin", depth_mm=Decimal("10"), retention_minutes=25,
        manual_technique="even", electrical=True, electro_frequency_hz=Decimal("2"),
        electro_frequency_2_hz=Decimal("100"), electro_intensity="to tolerance",
        electro_waveform="dense_disperse", response_sought="de_qi", response_obtained="de_qi",
        moxibustion=True, other_co_intervention="TENS", herbal_formula="Xiao Yao San",
        advice="Walk with Tom daily.",
    )  # fmt: skip
    SessionPointFactory(session=session, code="EX-HN3", side="M", order=0)
    SessionPointFactory(session=session, code="EX-UE9", side="B", order=1)
    SessionPointFactory(
        session=session, code="EX-B2", side="B", order=2, needles_per_side=3,
        needle_diameter_mm=Decimal("0.20"), needle_length_mm=25, depth_mm=Decimal("15"),
        manual_technique="reducing",
    )  # fmt: skip
    return patient


READING_CODES = {
    # measure: (code_system, code, panel_code)
    "pain_now": (LOINC, "72514-3", ""),
    "pain_average": (LOINC, "75893-8", "91148-7"),
    "pain_worst": (LOINC, "72514-3", ""),
    "enjoyment": (LOINC, "91145-3", "91148-7"),
    "activity": (LOINC, "91146-1", "91148-7"),
    "peg": (LOINC, "91147-9", "91148-7"),
    "psfs": (LOCAL, "psfs", ""),
    "confidence": (LOCAL, "confidence", ""),
    "active_minutes": (LOCAL, "active_minutes", ""),
    "session_pain_before": (LOINC, "72514-3", ""),
    "session_pain_after": (LOINC, "72514-3", ""),
}


@pytest.mark.parametrize("deidentified", [False, True])
def test_each_reading_carries_its_code_beside_the_apps_name(practitioner_client, ana, deidentified):
    rows = export(practitioner_client, "readings", deidentified)
    found = {row["measure"]: (row["code_system"], row["code"], row["panel_code"]) for row in rows}
    assert found == READING_CODES
    pain_average = next(row for row in rows if row["measure"] == "pain_average")
    assert (pain_average["value"], pain_average["source"]) == ("8.00", "intake")
    assert pain_average["code_display"] == "PEG: average pain, past week"


def test_no_reading_carries_a_promis_code(practitioner_client, ana):
    codes = {row["code"] for row in export(practitioner_client, "readings")}
    assert not codes & {"75260-0", "75261-8", "75262-6"}


def test_the_session_row_carries_the_codes_and_every_stricta_item(practitioner_client, ana):
    (row,) = export(practitioner_client, "sessions")
    assert {key: row[key] for key in (
        "pain_code", "procedure_code_system", "procedure_code", "procedure_code_verified",
    )} == {
        "pain_code": "72514-3", "procedure_code_system": "http://snomed.info/sct",
        "procedure_code": "44868003", "procedure_code_verified": "no",
    }  # fmt: skip
    assert {key: row[key] for key in (
        "status", "pain_before", "pain_after", "points", "needles", "needle_diameter_mm",
        "needle_length_mm", "needle_material", "needle_types", "depth_mm", "point_depths_mm",
        "retention_minutes", "manual_technique", "electrical", "electro_frequency_hz",
        "electro_frequency_2_hz", "electro_intensity", "electro_waveform", "response_sought",
        "response_obtained", "moxibustion", "cupping", "gua_sha", "heat_lamp",
        "other_co_intervention", "herbal_formula", "advice",
    )} == {
        "status": "signed", "pain_before": "7", "pain_after": "4",
        "points": "EX-HN3:M EX-UE9:B EX-B2:B", "needles": "15",
        "needle_diameter_mm": "0.25", "needle_length_mm": "40",
        "needle_material": "steel, Seirin", "needle_types": "0.25 x 40 mm; 0.20 x 25 mm",
        "depth_mm": "10.0", "point_depths_mm": "EX-B2:15.0", "retention_minutes": "25",
        "manual_technique": "even", "electrical": "True", "electro_frequency_hz": "2.0",
        "electro_frequency_2_hz": "100.0", "electro_intensity": "to tolerance",
        "electro_waveform": "dense_disperse", "response_sought": "de_qi",
        "response_obtained": "de_qi", "moxibustion": "True", "cupping": "False",
        "gua_sha": "False", "heat_lamp": "False", "other_co_intervention": "TENS",
        "herbal_formula": "Xiao Yao San", "advice": "Walk with Tom daily.",
    }  # fmt: skip


def test_the_deidentified_session_row_says_only_whether_there_was_free_text(
    practitioner_client, ana
):
    (row,) = export(practitioner_client, "sessions", deidentified=True)
    assert (row["herbal_formula"], row["advice"]) == ("yes", "yes")
    assert "Tom" not in str(row)


def test_the_points_export_has_a_row_per_point_with_laterality_and_its_needle(
    practitioner_client, ana
):
    rows = export(practitioner_client, "points")
    columns = (
        "point", "side", "laterality_code", "needles_per_side", "needles", "depth_mm",
        "stimulation", "needle_diameter_mm", "needle_length_mm",
    )  # fmt: skip
    assert [tuple(row[key] for key in columns) for row in rows] == [
        ("EX-HN3", "M", "", "1", "1", "10.0", "even", "0.25", "40"),
        ("EX-UE9", "B", "51440002", "4", "8", "10.0", "even", "0.25", "40"),
        ("EX-B2", "B", "51440002", "3", "6", "15.0", "reducing", "0.20", "25"),
    ]
    assert {row["session_number"] for row in rows} == {"1"}


def test_the_points_export_is_audited(practitioner_client, ana):
    export(practitioner_client, "points")
    assert AuditEvent.objects.filter(action="export", detail__startswith="points").exists()


def test_the_points_export_is_refused_without_a_role(outsider_client, ana):
    assert outsider_client.get(URL, {"what": "points"}).status_code == 403


@pytest.mark.parametrize("what", ["sessions", "points"])
def test_an_export_reads_no_query_per_note(practitioner_client, ana, practitioner, what):
    with CaptureQueriesContext(connection) as one_note:
        export(practitioner_client, what)
    for day in (10, 9, 8):
        SessionOnDateFactory(
            patient=ana, practitioner=practitioner, on=days_ago(day), points=["ST36", "GV20"]
        )
    with CaptureQueriesContext(connection) as four_notes:
        export(practitioner_client, what)
    assert len(four_notes) == len(one_note)
