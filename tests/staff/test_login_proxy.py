"""Logging in behind a reverse proxy: the lockout counts each client's own address, and the
audit trail and the lockout agree on it. And the passwords the clinic accepts."""

from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings

from audit.models import AuditEvent
from demo.management.commands.seed_demo import DEMO_PASSWORD
from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"
PROXY = "10.0.0.254"
CLIENT_A = "203.0.113.10"
CLIENT_B = "198.51.100.20"
User = get_user_model()


def log_in_through_proxy(client, username, password, client_ip):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=client_ip,
    )


@pytest.fixture
def behind_one_proxy():
    with override_settings(PROXY_COUNT=1):
        yield


def test_five_failures_lock_out_only_the_client_that_failed(client, practitioner, behind_one_proxy):
    for _ in range(5):
        log_in_through_proxy(client, "lin", "wrong-password", CLIENT_A)
    assert log_in_through_proxy(client, "lin", PASSWORD, CLIENT_A).status_code == 429
    client.cookies.clear()
    response = log_in_through_proxy(client, "lin", PASSWORD, CLIENT_B)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_lockout_records_the_clients_address_not_the_proxys(
    client, practitioner, behind_one_proxy
):
    for _ in range(5):
        log_in_through_proxy(client, "lin", "wrong-password", CLIENT_A)
    [attempt] = AccessAttempt.objects.all()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "lin",
        CLIENT_A,
        5,
    )


def test_the_audit_trail_and_the_lockout_see_the_same_address(
    client, practitioner, patient, behind_one_proxy
):
    log_in_through_proxy(client, "lin", "wrong-password", CLIENT_A)
    client.force_login(practitioner)
    client.get(patient.get_absolute_url(), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=CLIENT_A)
    view = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).latest("id")
    assert view.ip_address == AccessAttempt.objects.get().ip_address == CLIENT_A


def test_a_forged_header_counts_as_the_proxy_appended_it(client, practitioner, behind_one_proxy):
    # The proxy appends the address it saw; what the client put in front does not count.
    for _ in range(5):
        log_in_through_proxy(client, "lin", "wrong-password", f"1.2.3.4, {CLIENT_A}")
    assert log_in_through_proxy(client, "lin", PASSWORD, CLIENT_A).status_code == 429


def test_without_a_proxy_the_forwarded_header_is_ignored(client, practitioner):
    for client_ip in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"]:
        log_in_through_proxy(client, "lin", "wrong-password", client_ip)
    assert log_in_through_proxy(client, "lin", PASSWORD, "6.6.6.6").status_code == 429
    assert {a.ip_address for a in AccessAttempt.objects.all()} == {PROXY}


# Passwords


@pytest.fixture
def samuel(db):
    return UserFactory.build(username="sam", first_name="Samuel", last_name="Okafor")


@pytest.mark.parametrize(
    "password",
    [
        "samsamsam1",  # ten characters
        "abc123xyz89",  # eleven
        "123456789012345",  # all digits
        "1qaz2wsx3edc",  # a common password
        "sam@example.org",  # the user's own email address
    ],
)
def test_it_refuses_a_weak_password(samuel, password):
    with pytest.raises(ValidationError):
        validate_password(password, samuel)


def test_it_accepts_twelve_characters_unlike_the_user(samuel):
    validate_password("lantern-cobalt-77", samuel)


def test_the_password_change_page_refuses_samsamsam1(client, second_practitioner):
    client.force_login(second_practitioner)
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "samsamsam1", "new_password2": "samsamsam1"},
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    second_practitioner.refresh_from_db()
    assert second_practitioner.check_password(PASSWORD)


def test_the_demo_logins_pass_the_validators(settings, db):
    settings.DEBUG = True
    call_command("seed_demo", patients=0, stdout=StringIO())
    for username in ["lin", "sam", "admin"]:
        validate_password(DEMO_PASSWORD, User.objects.get(username=username))


def test_the_test_password_passes_the_validators(practitioner, second_practitioner, clinic_admin):
    for user in [practitioner, second_practitioner, clinic_admin]:
        validate_password(PASSWORD, user)
