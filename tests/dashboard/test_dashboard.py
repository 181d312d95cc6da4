"""The clinic dashboard's numbers for a known set of patients, and where they link."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from patients.models import Patient, PatientSummary, PhaseChange, PhaseSuggestion
from sessions.models import AdverseEvent
from tests.factories import PatientFactory
from tests.intake_helpers import invited_patient, submitted_intake
from tests.progress_helpers import checkin, days_ago, session_on, start_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def clinic(practitioner, second_practitioner):
    """Five patients of known course:
    - amy: phase 1, 4 sessions, average pain 8 -> 5 (37.5 % better: a responder), 1 AE
    - ben: phase 2 after 2 sessions, 4 sessions, 8 -> 7 (12.5 %: not a responder)
    - cat: phase 2 after 4 sessions, phase 3 after 5; no check-in (not evaluable)
    - dan: active, no intake, no reading: quiet
    - eve: discharged, in phase 2 (not counted among the active)
    """
    amy, ben, cat, dan, eve = (
        PatientFactory(given_name=name, practitioner=practitioner) for name in
        ["Amy", "Ben", "Cat", "Dan", "Eve"]
    )  # fmt: skip
    eve.status = Patient.Status.DISCHARGED
    eve.save()
    for patient in (amy, ben, cat, eve):
        start_course(patient, practitioner, on=days_ago(60), pain_average=8)
    for n in range(4):
        session = session_on(amy, practitioner, days_ago(50 - 7 * n))
        if n == 0:
            AdverseEvent.objects.bulk_create(
                [AdverseEvent(session=session, category="bleeding", severity="mild")]
            )
        session_on(ben, practitioner, days_ago(50 - 7 * n))
    for n in range(5):
        session_on(cat, practitioner, days_ago(55 - 7 * n))
    checkin(amy, days_ago(3), pain_average=5)
    checkin(ben, days_ago(3), pain_average=7)
    PhaseChange.objects.create(
        patient=ben, phase=2, started_on=days_ago(40), changed_by=practitioner
    )
    PhaseChange.objects.create(
        patient=cat, phase=2, started_on=days_ago(26), changed_by=practitioner
    )
    PhaseChange.objects.create(
        patient=cat, phase=3, started_on=days_ago(10), changed_by=practitioner
    )
    PhaseChange.objects.create(
        patient=eve, phase=2, started_on=days_ago(30), changed_by=practitioner
    )
    PhaseSuggestion.objects.create(
        patient=ben, kind="phase_3", to_phase=3, reason="test", evidence=[],
        evidence_through=days_ago(3),
    )  # fmt: skip
    PatientSummary.objects.refresh_many(Patient.objects.all())  # after the direct phase changes
    return {"amy": amy, "ben": ben, "cat": cat, "dan": dan, "eve": eve}


def test_the_numbers_for_a_known_clinic(clinic):
    numbers = PatientSummary.objects.for_dashboard()
    assert [(phase.value, n) for phase, n in numbers["phases"]] == [(1, 1), (2, 1), (3, 1)]
    assert numbers["not_started"] == 1  # dan
    assert numbers["suggestions"] == 1
    assert numbers["quiet"] == 2  # dan; and cat, whose last reading is 20 days old
    assert (numbers["response"]["responders"], numbers["response"]["total"]) == (1, 2)
    assert numbers["responder_percent"] == 50
    assert numbers["to_phase_2"] == 2  # the median of ben 2, cat 4 and eve 0 (no sessions)
    assert numbers["to_phase_3"] == 5  # cat
    assert numbers["treatments"] == {"sessions": 13, "with_adverse_event": 1}
    assert round(numbers["ae_rate"], 2) == Decimal("7.69")  # 1 of 13, per 100


def test_each_number_links_to_the_patients_behind_it(practitioner_client, clinic):
    page = practitioner_client.get("/").content.decode()
    assert "?status=active&amp;phase=2" in page
    found = practitioner_client.get(reverse("patients:list"), {"status": "active", "phase": 2})
    assert list(found.context["page"].object_list) == [clinic["ben"]]
    for need, expected in [
        ("suggestion", {"ben"}),
        ("quiet", {"cat", "dan"}),
        ("responder", {"amy"}),
    ]:
        found = practitioner_client.get(reverse("patients:list"), {"need": need})
        assert {p.given_name.lower() for p in found.context["page"].object_list} == expected


def test_my_patients_shows_only_mine(client, second_practitioner, clinic):
    PatientFactory(given_name="Sol", practitioner=second_practitioner)
    client.force_login(second_practitioner)
    submitted_intake(invited_patient(practitioner=second_practitioner))
    numbers = client.get("/", {"mine": "1"}).context
    assert [n for _, n in numbers["phases"]] == [0, 0, 0]
    assert numbers["quiet"] == 1  # Sol
    assert numbers["suggestions"] == 0  # ben's is lin's
    assert numbers["waiting"]["total"] == 1  # Bea's intake
    everyone = client.get("/").context
    assert (everyone["suggestions"], everyone["waiting"]["total"]) == (1, 1)


def test_an_empty_clinic_shows_sensible_blanks(practitioner_client):
    page = practitioner_client.get("/").content.decode()
    assert "none yet" in page and "no sessions yet" in page


class TestExport:
    URL = reverse("patients:export")

    def rows(self, response):
        return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    def test_an_anonymous_visitor_is_sent_to_log_in(self, client, db):
        assert client.get(self.URL).status_code == 302

    def test_a_user_without_a_role_is_refused(self, outsider_client):
        assert outsider_client.get(self.URL, {"what": "readings"}).status_code == 403

    def test_a_bad_choice_is_a_400(self, practitioner_client):
        assert practitioner_client.get(self.URL, {"what": "everything"}).status_code == 400

    def test_the_deidentified_readings_carry_no_identity(self, practitioner_client, clinic):
        response = practitioner_client.get(self.URL, {"what": "readings", "deidentified": "on"})
        rows = self.rows(response)
        assert rows[0] == ["study_id", "age_band", "sex", "date", "measure", "value", "source"]
        text = "\n".join(",".join(row) for row in rows)
        for patient in Patient.objects.all():
            for value in [patient.given_name, patient.family_name, patient.email, patient.phone,
                          patient.date_of_birth.isoformat(), str(patient.uuid)]:  # fmt: skip
                assert value not in text
        amy_rows = [row for row in rows[1:] if row[4] == "pain_average" and row[6] == "checkin"]
        assert {row[2] for row in amy_rows} == {"female"}
        assert AuditEvent.objects.filter(action="export").exists()

    def test_dates_shift_by_one_offset_per_patient(self, practitioner_client, clinic):
        rows = self.rows(
            practitioner_client.get(self.URL, {"what": "sessions", "deidentified": "on"})
        )
        by_patient = {}
        for row in rows[1:]:
            by_patient.setdefault(row[0], []).append(row[3])
        amy_days = sorted(by_patient[next(iter(by_patient))])
        # four weekly sessions stay a week apart, wherever they were moved to
        gaps = {(date.fromisoformat(b) - date.fromisoformat(a)).days
                for a, b in zip(amy_days, amy_days[1:], strict=False)}  # fmt: skip
        assert gaps == {7}

    def test_the_identified_export_names_the_patient(self, practitioner_client, clinic):
        rows = self.rows(practitioner_client.get(self.URL, {"what": "sessions"}))
        assert rows[0][:3] == ["patient_uuid", "given_name", "family_name"]
        assert {row[1] for row in rows[1:]} == {"Amy", "Ben", "Cat"}

    def test_an_export_with_no_rows_is_just_the_header(self, practitioner_client):
        rows = self.rows(practitioner_client.get(self.URL, {"what": "readings"}))
        assert len(rows) == 1
