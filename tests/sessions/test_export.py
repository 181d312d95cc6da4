"""The CSV export of every patient's readings or sessions (sessions/views/export.py, at
/patients/export/): who may export, and what the identified and de-identified files hold,
for the clinic of five patients in tests/conftest.py. (Formulas in the text:
test_csv_injection.py.)"""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from patients.models import Patient

pytestmark = pytest.mark.django_db


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
        assert rows[0][:7] == ["study_id", "age_band", "sex", "date", "measure", "value", "source"]
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
