"""Sending a link from the patient's page: shown once and emailed, only to the patients it
suits, revoked by the staff, refused to anyone without a role."""

import hashlib
import secrets

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

from patients.actions import accept_intake
from patients.models import Patient, PatientLink
from tests.factories import InvitedPatientFactory, PatientFactory, SubmittedIntakeFactory
from tests.html import shown_link
from tests.intake_helpers import intake_link, start_url, step_url
from tests.link_helpers import (
    INVITE_URL,
    revoke_url,
    send_checkin_url,
    send_intake_url,
    tables_containing,
)

CHECKIN = PatientLink.Purpose.CHECKIN


def test_the_patient_page_offers_an_intake_link_for_an_invited_patient(
    practitioner_client, invited
):
    page = practitioner_client.get(invited.get_absolute_url()).content.decode()
    assert send_intake_url(invited) in page
    assert send_checkin_url(invited) not in page


def test_the_patient_page_offers_a_checkin_link_for_an_active_patient(practitioner_client, patient):
    page = practitioner_client.get(patient.get_absolute_url()).content.decode()
    assert send_checkin_url(patient) in page
    assert send_intake_url(patient) not in page


def test_a_practitioner_sends_an_intake_link_shown_once_and_emailed(
    practitioner_client, practitioner, invited, client
):
    response = practitioner_client.post(send_intake_url(invited))
    assert response.status_code == 200
    url, token = shown_link(response, "intake")
    assert url == f"http://testserver/p/intake/{token}/"
    assert "Emailed to bea.costa@example.org" in response.content.decode()
    link = PatientLink.objects.get(patient=invited)
    assert (link.purpose, link.created_by, link.state) == ("intake", practitioner, "active")
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()

    [email] = mail.outbox
    assert email.to == ["bea.costa@example.org"]
    assert url in email.body
    assert "intake" in email.subject.lower()

    # Shown once: the patient's page lists the link but cannot show it again.
    page = practitioner_client.get(invited.get_absolute_url()).content.decode()
    assert "Intake link made" in page
    assert token not in page
    assert tables_containing(token) == []

    practitioner_client.logout()
    assert client.get(url).status_code == 200  # the link works, for anyone holding it


def test_the_email_says_how_many_days_the_link_works(practitioner_client, invited):
    practitioner_client.post(send_intake_url(invited))
    [email] = mail.outbox
    assert f"It works for {django_settings.INTAKE_LINK_DAYS} days." in email.body


def test_no_email_goes_out_to_a_patient_without_an_address(practitioner_client, practitioner):
    no_email = InvitedPatientFactory(email="", practitioner=practitioner)
    response = practitioner_client.post(send_intake_url(no_email))
    assert response.status_code == 200
    shown_link(response, "intake")
    assert "No email address on record" in response.content.decode()
    assert mail.outbox == []
    assert no_email.links.count() == 1


def test_a_practitioner_sends_a_checkin_link_to_an_active_patient(practitioner_client, patient):
    response = practitioner_client.post(send_checkin_url(patient))
    assert response.status_code == 200
    url, token = shown_link(response, "checkin")
    link = PatientLink.objects.get(patient=patient)
    assert link.purpose == "checkin"
    assert PatientLink.objects.find(token, CHECKIN) == link
    [email] = mail.outbox
    assert email.to == ["ana.silva@example.org"]
    assert url in email.body


@pytest.mark.parametrize("status", ["invited", "intake_submitted", "discharged", "archived"])
def test_checkin_links_are_only_for_active_patients(practitioner_client, practitioner, status):
    other = PatientFactory(status=status, practitioner=practitioner)
    response = practitioner_client.post(send_checkin_url(other), follow=True)
    assert response.redirect_chain[0][0] == other.get_absolute_url()
    assert "Check-in links are for active patients." in response.content.decode()
    assert not PatientLink.objects.exists()
    assert mail.outbox == []


def test_no_intake_link_once_the_intake_is_accepted(practitioner_client, practitioner, invited):
    accept_intake(SubmittedIntakeFactory(patient=invited), by=practitioner)
    links_before = invited.links.count()
    response = practitioner_client.post(send_intake_url(invited), follow=True)
    assert (
        "This patient&#x27;s intake is already sent; review it instead."
        in response.content.decode()
    )
    assert invited.links.count() == links_before
    assert mail.outbox == []


def test_no_intake_link_for_an_archived_patient(practitioner_client, invited):
    invited.archive()
    response = practitioner_client.post(send_intake_url(invited))
    assert response.status_code == 302
    assert not PatientLink.objects.exists()


def test_archiving_a_patient_stops_their_intake_link(client, invited):
    _, token = intake_link(invited)
    not_working = client.get(start_url(secrets.token_urlsafe(32)))
    invited.archive()
    for response in [client.get(start_url(token)), client.get(step_url(token, "about"))]:
        assert response.status_code == 404
        assert response.content == not_working.content


def test_a_practitioner_revokes_a_link_and_it_stops_working(practitioner_client, invited, client):
    link, token = intake_link(invited)
    response = practitioner_client.post(revoke_url(link), follow=True)
    assert response.redirect_chain[0][0] == invited.get_absolute_url()
    assert "The intake link is revoked." in response.content.decode()
    link.refresh_from_db()
    assert link.state == "revoked"
    practitioner_client.logout()
    assert client.get(start_url(token)).status_code == 404


def test_a_link_cannot_be_revoked_under_another_patients_uuid(
    practitioner_client, invited, patient
):
    link, _ = intake_link(invited)
    wrong = reverse(
        "patients:revoke_link", kwargs={"patient_uuid": patient.uuid, "link_id": link.pk}
    )
    assert practitioner_client.post(wrong).status_code == 404
    link.refresh_from_db()
    assert link.state == "active"


def test_a_clinic_admin_may_revoke_but_not_send_links(admin_client_, invited):
    link, _ = intake_link(invited)
    assert admin_client_.post(send_intake_url(invited)).status_code == 403
    assert admin_client_.post(revoke_url(link)).status_code == 302
    link.refresh_from_db()
    assert link.state == "revoked"
    assert invited.links.count() == 1


def staff_endpoints(patient, link):
    return [send_intake_url(patient), send_checkin_url(patient), revoke_url(link), INVITE_URL]


def test_an_anonymous_visitor_is_sent_to_log_in_from_the_link_endpoints(client, patient):
    link, _ = PatientLink.issue(patient, CHECKIN)
    for url in staff_endpoints(patient, link):
        response = client.post(url, {"given_name": "Eve", "family_name": "Hacker"})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url
    assert PatientLink.objects.count() == 1
    assert Patient.objects.count() == 1
    assert PatientLink.objects.get().state == "active"


def test_a_user_without_a_role_is_refused_the_link_endpoints(outsider_client, patient):
    link, _ = PatientLink.issue(patient, CHECKIN)
    for url in staff_endpoints(patient, link):
        assert outsider_client.post(url, {"given_name": "E", "family_name": "H"}).status_code == 403
    assert outsider_client.get(INVITE_URL).status_code == 403
    assert PatientLink.objects.count() == 1
    assert Patient.objects.count() == 1
    assert PatientLink.objects.get().state == "active"
    assert mail.outbox == []


def test_sending_and_revoking_are_posts(practitioner_client, patient):
    link, _ = PatientLink.issue(patient, CHECKIN)
    for url in staff_endpoints(patient, link)[:3]:
        assert practitioner_client.get(url).status_code == 405, url
    assert PatientLink.objects.count() == 1
