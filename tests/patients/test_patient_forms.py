import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from patients.models import Patient
from tests.factories import PatientFactory
from tests.patient_helpers import edit_url, valid_data

CREATE = reverse("patients:create")


class TestCreate:
    def test_anonymous_visitor_is_sent_to_log_in(self, client, db):
        assert client.post(CREATE, valid_data()).status_code == 302
        assert not Patient.objects.exists()

    def test_a_user_without_a_role_is_refused(self, outsider_client):
        assert outsider_client.get(CREATE).status_code == 403
        assert outsider_client.post(CREATE, valid_data()).status_code == 403

    def test_the_form_starts_assigned_to_the_practitioner(self, practitioner_client, practitioner):
        form = practitioner_client.get(CREATE).context["form"]
        assert form.initial["practitioner"] == practitioner

    def test_a_practitioner_creates_a_patient(self, practitioner_client, practitioner):
        data = valid_data(practitioner=practitioner.pk)
        response = practitioner_client.post(CREATE, data)
        patient = Patient.objects.get()
        assert response.status_code == 302
        assert response["Location"] == patient.get_absolute_url()
        assert (patient.full_name, patient.practitioner) == ("Mira Novak", practitioner)

    def test_creating_is_audited_and_kept_in_history(self, practitioner_client, practitioner):
        practitioner_client.post(CREATE, valid_data())
        patient = Patient.objects.get()
        event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE)
        assert (event.user, event.patient_uuid) == (practitioner, patient.uuid)
        assert patient.history.get().history_user == practitioner

    def test_it_rejects_a_date_of_birth_in_the_future(self, practitioner_client):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = practitioner_client.post(CREATE, valid_data(date_of_birth=tomorrow))
        assert response.status_code == 400
        assert response.context["form"].errors["date_of_birth"] == [
            "The date of birth cannot be in the future."
        ]
        page = response.content.decode()
        assert 'value="Mira"' in page and 'value="mira.novak@example.org"' in page
        assert not Patient.objects.exists()

    @pytest.mark.parametrize(
        "field, value",
        [
            ("email", "mira@"),
            ("phone", "call me"),
            ("given_name", "   "),
            ("date_of_birth", "1899-12-31"),
            ("date_of_birth", "31/31/1990"),
            ("sex", "robot"),
            ("practitioner", "999999"),
        ],
    )
    def test_it_rejects_bad_input_next_to_the_field(self, practitioner_client, field, value):
        response = practitioner_client.post(CREATE, valid_data(**{field: value}))
        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert not Patient.objects.exists()

    def test_a_practitioner_cannot_be_assigned_a_non_practitioner(
        self, practitioner_client, outsider
    ):
        response = practitioner_client.post(CREATE, valid_data(practitioner=outsider.pk))
        assert "practitioner" in response.context["form"].errors

    def test_it_refuses_a_duplicate_name_and_birthday(self, practitioner_client):
        PatientFactory(given_name="Mira", family_name="Novak", date_of_birth="1984-03-09")
        response = practitioner_client.post(CREATE, valid_data(given_name="mira"))
        assert response.status_code == 400
        assert "already registered" in response.content.decode()
        assert Patient.objects.count() == 1


class TestEdit:
    def test_anonymous_visitor_is_sent_to_log_in(self, client, patient):
        assert client.get(edit_url(patient)).status_code == 302

    def test_a_user_without_a_role_is_refused(self, outsider_client, patient):
        response = outsider_client.post(edit_url(patient), valid_data())
        assert response.status_code == 403
        patient.refresh_from_db()
        assert patient.given_name == "Ana"

    def test_a_practitioner_edits_a_patient(self, practitioner_client, patient, practitioner):
        data = valid_data(given_name="Ana", family_name="Silva-Rey", status="discharged")
        response = practitioner_client.post(edit_url(patient), data)
        assert response.status_code == 302
        patient.refresh_from_db()
        assert (patient.family_name, patient.status) == ("Silva-Rey", "discharged")
        event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGE)
        assert (event.user, event.patient_uuid) == (practitioner, patient.uuid)
        assert patient.history.count() == 2

    def test_bad_input_keeps_what_was_typed(self, practitioner_client, patient):
        data = valid_data(family_name="Silva-Rey", email="not-an-email")
        response = practitioner_client.post(edit_url(patient), data)
        assert response.status_code == 400
        assert 'value="Silva-Rey"' in response.content.decode()
        patient.refresh_from_db()
        assert patient.family_name == "Silva"

    def test_archived_is_not_a_status_the_form_offers(self, practitioner_client, patient):
        response = practitioner_client.post(edit_url(patient), valid_data(status="archived"))
        assert response.status_code == 400
        assert "status" in response.context["form"].errors


class TestArchive:
    def url(self, patient, action="archive"):
        return reverse(f"patients:{action}", kwargs={"patient_uuid": patient.uuid})

    def test_anonymous_visitor_cannot_archive(self, client, patient):
        assert client.post(self.url(patient)).status_code == 302
        patient.refresh_from_db()
        assert patient.status == "active"

    def test_a_user_without_a_role_cannot_archive(self, outsider_client, patient):
        assert outsider_client.post(self.url(patient)).status_code == 403

    def test_get_asks_for_confirmation(self, practitioner_client, patient):
        response = practitioner_client.get(self.url(patient))
        assert response.status_code == 200
        patient.refresh_from_db()
        assert patient.status == "active"

    def test_archive_then_restore_returns_the_earlier_status(self, practitioner_client, patient):
        patient.status = Patient.Status.DISCHARGED
        patient.save()
        practitioner_client.post(self.url(patient))
        patient.refresh_from_db()
        assert patient.status == "archived"
        assert Patient.objects.filter(pk=patient.pk).exists()  # archived, not deleted
        practitioner_client.post(self.url(patient, "restore"))
        patient.refresh_from_db()
        assert patient.status == "discharged"

    def test_restore_needs_post(self, practitioner_client, patient):
        assert practitioner_client.get(self.url(patient, "restore")).status_code == 405
