"""Link emails through the task queue's database backend, a worker (`manage.py db_worker`)
and a real SMTP server on the loopback: the page answers before the mail server is asked,
the queue's table holds no working link, the worker delivers it, and a mail server that
stays down gets the attempts of settings.EMAIL_RETRY_DELAYS, then the link is revoked and
the patient's page and the admin say so."""

import io

import pytest
from cryptography.fernet import InvalidToken
from django.core.management import call_command
from django.db import IntegrityError
from django_tasks_db.models import DBTaskResult

from core.mail import seal, unseal
from patients.models import PatientLink
from tests.patients.test_link_email_failure import send_url

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queued(settings):
    """Tasks wait in the database for a worker, which tries again at once when told to."""
    settings.TASKS = QUEUE
    settings.EMAIL_RETRY_DELAYS = [0, 0]


def run_worker():
    call_command("db_worker", batch=True, interval=0, reload=False, stdout=io.StringIO())


def test_a_sealed_text_opens_only_with_the_secret_key(settings):
    sealed = seal("https://clinic.example/l/secret-token")
    assert "secret-token" not in sealed
    assert unseal(sealed) == "https://clinic.example/l/secret-token"
    settings.SECRET_KEY = "another-" + "y" * 50
    with pytest.raises(InvalidToken):
        unseal(sealed)


@pytest.mark.parametrize("purpose", ["intake", "checkin"])
def test_the_page_answers_before_the_mail_server_is_asked(
    practitioner_client, patient, invited, queued, smtp_sink, purpose
):
    patient = invited if purpose == "intake" else patient
    response = practitioner_client.post(send_url(patient, purpose))
    assert response.status_code == 200
    assert "Queued to be emailed" in response.content.decode()
    link = PatientLink.objects.get(patient=patient)
    assert link.email_status == "queued"
    assert smtp_sink.messages == []  # the request did not wait for it

    url = response.context["url"]
    [waiting] = DBTaskResult.objects.all()
    assert url not in str(waiting.args_kwargs) and url.split("/")[-2] not in str(
        waiting.args_kwargs
    )

    run_worker()
    [message] = smtp_sink.messages
    assert message.rcpt_tos == [patient.email]
    assert url in message.content.decode()
    link.refresh_from_db()
    assert (link.email_status, link.email_attempts, link.state) == ("sent", 1, "active")
    assert "emailed" in practitioner_client.get(patient.get_absolute_url()).content.decode()


def test_a_mail_server_that_stays_down_gets_every_attempt_then_the_link_is_revoked(
    practitioner_client, patient, queued, smtp_refused, clinic_admin, client
):
    practitioner_client.post(send_url(patient, "checkin"))
    run_worker()
    link = PatientLink.objects.get(patient=patient)
    assert (link.email_status, link.email_attempts, link.state) == ("failed", 3, "revoked")
    results = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert results == ["SUCCESSFUL", "SUCCESSFUL", "FAILED"]  # two retries queued, then given up
    page = practitioner_client.get(patient.get_absolute_url()).content.decode()
    assert "Email failed" in page and "refused it 3 times; the link was revoked" in page

    client.force_login(clinic_admin)
    admin_page = client.get(f"/admin/patients/patientlink/{link.pk}/change/").content.decode()
    assert "Email failed" in admin_page


def test_a_link_revoked_before_the_worker_runs_is_not_sent(
    practitioner_client, patient, queued, smtp_sink
):
    practitioner_client.post(send_url(patient, "checkin"))
    PatientLink.objects.get(patient=patient).revoke()
    run_worker()
    assert smtp_sink.messages == []


def test_the_database_refuses_a_failed_email_on_a_working_link(patient):
    link, _ = PatientLink.issue(patient, PatientLink.Purpose.CHECKIN)
    link.email_status = PatientLink.Email.FAILED
    with pytest.raises(IntegrityError):
        link.save()
