"""Inviting a new patient: the invitation page, and the invite_patient command."""

import io

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import CommandError, call_command

from patients.actions import accept_intake
from patients.models import Patient, PatientLink
from tests.factories import SubmittedIntakeFactory
from tests.html import field_error, shown_link
from tests.intake_helpers import step_url
from tests.link_helpers import INVITE_URL

INTAKE = PatientLink.Purpose.INTAKE


# Inviting a new patient


def test_a_practitioner_sees_the_invitation_form(practitioner_client):
    response = practitioner_client.get(INVITE_URL)
    assert response.status_code == 200
    assert 'name="email"' in response.content.decode()


def test_inviting_creates_an_invited_patient_without_a_birth_date_and_a_link(
    practitioner_client, practitioner, client
):
    data = {"given_name": " Ana ", "family_name": "New", "email": "ana.new@example.org"}
    response = practitioner_client.post(INVITE_URL, data)
    assert response.status_code == 200
    url, token = shown_link(response, "intake")
    new = Patient.objects.get(email="ana.new@example.org")
    assert (new.given_name, new.family_name, new.status) == ("Ana", "New", "invited")
    assert new.date_of_birth is None
    assert new.practitioner == practitioner
    link = PatientLink.objects.get(patient=new)
    assert PatientLink.objects.find(token, INTAKE) == link
    [email] = mail.outbox
    assert email.to == ["ana.new@example.org"]
    assert url in email.body
    practitioner_client.logout()
    welcome = client.get(url)  # the link opens on the welcome page, its Start at step 1
    assert welcome.status_code == 200
    assert f'href="{step_url(token, "about")}">Start</a>' in welcome.content.decode()


def test_an_invitation_with_a_bad_email_is_refused_next_to_the_field(practitioner_client):
    data = {"given_name": "Ana", "family_name": "New", "email": "ana.new@", "phone": ""}
    response = practitioner_client.post(INVITE_URL, data)
    assert response.status_code == 400
    assert field_error(response, "email") == "Enter a valid email address."
    assert 'value="ana.new@"' in response.content.decode()
    assert not Patient.objects.exists()
    assert not PatientLink.objects.exists()
    assert mail.outbox == []


def test_an_invitation_needs_a_family_name(practitioner_client):
    response = practitioner_client.post(INVITE_URL, {"given_name": "Ana", "family_name": " "})
    assert response.status_code == 400
    assert field_error(response, "family_name") == "This field is required."
    assert not Patient.objects.exists()


# The invite_patient command


def run_invite(*args, **options):
    out = io.StringIO()
    call_command("invite_patient", *args, stdout=out, **options)
    return out.getvalue().strip()


def test_the_command_invites_a_new_patient_and_prints_a_working_link(db, client):
    url = run_invite("x@example.org", name="Ana New")
    base = django_settings.CLINIC_BASE_URL
    assert url.startswith(base + "/p/intake/")
    path = url.removeprefix(base)
    token = path.split("/")[3]
    new = Patient.objects.get(email="x@example.org")
    assert (new.given_name, new.family_name, new.status) == ("Ana", "New", "invited")
    assert new.date_of_birth is None
    welcome = client.get(path)
    assert f'href="{step_url(token, "about")}">Start</a>' in welcome.content.decode()
    about = client.get(step_url(token, "about"))
    assert about.status_code == 200
    assert 'value="Ana"' in about.content.decode()


def test_the_command_gives_an_existing_patient_a_new_link(invited):
    url = run_invite("BEA.COSTA@example.org")
    assert Patient.objects.count() == 1
    token = url.split("/")[-2]
    assert PatientLink.objects.find(token, INTAKE).patient == invited


def test_the_command_needs_a_name_for_an_unknown_email(db):
    with pytest.raises(CommandError, match="--name"):
        run_invite("nobody@example.org")
    with pytest.raises(CommandError, match="--name"):
        run_invite("nobody@example.org", name="Cher")
    assert not Patient.objects.exists()
    assert not PatientLink.objects.exists()


@pytest.mark.parametrize("email", ["not-an-email", "ana@", "@example.org", "ana new@example.org"])
def test_the_command_refuses_a_malformed_email(db, email):
    with pytest.raises(CommandError, match="Not an email address"):
        run_invite(email, name="Ana New")
    assert not Patient.objects.exists()


def test_the_command_refuses_a_patient_whose_intake_is_accepted(practitioner, invited):
    accept_intake(SubmittedIntakeFactory(patient=invited), by=practitioner)
    links_before = PatientLink.objects.count()
    with pytest.raises(CommandError, match="already sent"):
        run_invite("beatriz.costa@example.org")
    assert PatientLink.objects.count() == links_before
