"""Emails through a real SMTP connection: a link that cannot be emailed is revoked and the
person told, never a 500; with a mail server listening, the email arrives. The servers
here are real sockets on the loopback interface: a closed port, one that never answers,
and aiosmtpd."""

from django.contrib.messages import get_messages
from django.urls import reverse

from patients.models import Patient, PatientLink


def send_url(patient, purpose):
    return reverse(f"patients:send_{purpose}_link", kwargs={"patient_uuid": patient.uuid})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def assert_refused_safely(response, patient, purpose):
    assert response.status_code == 302
    assert response.url == patient.get_absolute_url()
    [message] = messages_of(response)
    assert f"The email with the {purpose} link could not be sent" in message
    assert not PatientLink.objects.filter(patient=patient).usable().exists()
    assert PatientLink.objects.get(patient=patient).state == "revoked"


# The mail server is down


def test_an_intake_link_that_cannot_be_emailed_is_revoked(
    practitioner_client, invited, smtp_refused
):
    response = practitioner_client.post(send_url(invited, "intake"))
    assert_refused_safely(response, invited, "intake")


def test_a_checkin_link_that_cannot_be_emailed_is_revoked(
    practitioner_client, patient, smtp_refused
):
    response = practitioner_client.post(send_url(patient, "checkin"))
    assert_refused_safely(response, patient, "check-in")


def test_a_server_that_never_answers_is_given_up_on(practitioner_client, patient, smtp_silent):
    response = practitioner_client.post(send_url(patient, "checkin"))
    assert_refused_safely(response, patient, "check-in")


def test_the_patients_page_says_why_after_a_failed_email(
    practitioner_client, invited, smtp_refused
):
    response = practitioner_client.post(send_url(invited, "intake"), follow=True)
    assert response.status_code == 200
    assert "could not be sent: the mail server did not answer" in response.content.decode()


def test_inviting_a_new_patient_keeps_the_patient_and_revokes_the_link(
    practitioner_client, smtp_refused
):
    data = {"given_name": "Rosa", "family_name": "Lima", "email": "rosa.lima@example.org"}
    response = practitioner_client.post(reverse("patients:invite"), data)
    rosa = Patient.objects.get(given_name="Rosa")
    assert rosa.status == Patient.Status.INVITED
    assert_refused_safely(response, rosa, "intake")


def test_a_password_reset_with_the_mail_server_down_is_no_error(client, practitioner, smtp_refused):
    response = client.post(reverse("password_reset"), {"email": "lin@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")


# The mail server is up


def test_the_link_email_arrives_at_a_real_mail_server(practitioner_client, invited, smtp_sink):
    response = practitioner_client.post(send_url(invited, "intake"))
    assert response.status_code == 200
    assert "Emailed to bea.costa@example.org" in response.content.decode()
    assert smtp_sink.arrived.wait(5)
    [envelope] = smtp_sink.messages
    assert envelope.rcpt_tos == ["bea.costa@example.org"]
    link = PatientLink.objects.get(patient=invited)
    assert link.state == "active"
    body = envelope.content.decode()
    assert "http://testserver/p/intake/" in body


def test_a_password_reset_email_arrives_at_a_real_mail_server(client, practitioner, smtp_sink):
    response = client.post(reverse("password_reset"), {"email": "lin@example.org"})
    assert response.status_code == 302
    assert smtp_sink.arrived.wait(5)
    [envelope] = smtp_sink.messages
    assert envelope.rcpt_tos == ["lin@example.org"]
    assert "/accounts/reset/" in envelope.content.decode()


def test_the_app_waits_for_a_mail_server_a_bounded_time(settings):
    assert 1 <= settings.EMAIL_TIMEOUT <= 120
