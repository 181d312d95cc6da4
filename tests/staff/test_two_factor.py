"""Two-step login (staff.two_factor, django-otp) with CLINIC_REQUIRE_2FA on: a user without
a device is sent to set one up and reaches nothing else, the admin included; setting up
the app takes a code from it and gives recovery codes once; the second step takes a code
from the app or a recovery code (each once); five wrong codes lock the account as five
wrong passwords do; a clinic admin resets a practitioner's devices (audited, emailed), not a
superuser's."""

import re

import pytest
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory
from tests.html import field_error

pytestmark = pytest.mark.django_db

SETUP = "/accounts/two-step/"
VERIFY = "/accounts/two-step/verify/"


@pytest.fixture(autouse=True)
def required(settings):
    settings.CLINIC_REQUIRE_2FA = True


def log_in(client, username, ip="127.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR=ip
    )


def code_for(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def set_up(client):
    """Set up the authenticator app through the page, as the browser test does; the
    recovery codes it shows."""
    client.get(SETUP)
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(SETUP, {"code": code_for(device)})
    assert response.status_code == 200
    return re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())


def test_without_a_device_the_password_leads_to_setting_one_up(client, practitioner):
    response = log_in(client, "lin")
    assert response.status_code == 302
    assert client.get("/").url == f"{SETUP}?next=/"
    assert client.get("/patients/").status_code == 302
    assert client.get(SETUP).status_code == 200
    assert client.post("/accounts/logout/").status_code == 302  # always allowed


def test_the_admin_is_behind_the_same_check(client, clinic_admin):
    log_in(client, clinic_admin.username)
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url == f"{SETUP}?next=/admin/"


def test_the_patients_own_pages_need_no_second_step(client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/p/checkin/not-a-token/").status_code == 404


def test_setting_up_shows_the_secret_and_gives_ten_recovery_codes_once(client, practitioner):
    log_in(client, "lin")
    page = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=practitioner)
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page).group(1)
    assert "<svg" in page and secret.replace(" ", "") in device.config_url
    codes = set_up(client)
    assert len(set(codes)) == 10
    assert client.get("/").status_code == 200
    again = client.get(SETUP).content.decode()
    assert "Two-step login is on" in again and not any(code in again for code in codes)


def test_a_wrong_code_when_setting_up_is_a_400_with_a_message(client, practitioner):
    log_in(client, "lin")
    client.get(SETUP)
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 400
    assert "not the one the app shows now" in field_error(response, "code")
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_with_a_device_the_password_leads_to_the_second_step(client, practitioner):
    log_in(client, "lin")
    set_up(client)
    client.post("/accounts/logout/")
    log_in(client, "lin")
    assert client.get("/patients/").url == f"{VERIFY}?next=/patients/"
    device = TOTPDevice.objects.get(user=practitioner)
    device.last_t = -1  # the code used to set up may be used again in the same 30 s
    device.save()
    response = client.post(VERIFY, {"code": code_for(device), "next": "/patients/"})
    assert response.status_code == 302 and response.url == "/patients/"
    assert client.get("/patients/").status_code == 200


def test_a_wrong_code_is_a_400_that_says_so(client, practitioner):
    log_in(client, "lin")
    set_up(client)
    client.post("/accounts/logout/")
    log_in(client, "lin")
    response = client.post(VERIFY, {"code": "123456"})
    assert response.status_code == 400
    assert "That code is not right" in field_error(response, "code")
    assert client.get("/").status_code == 302


def test_a_recovery_code_works_once(client, practitioner):
    log_in(client, "lin")
    code = set_up(client)[0]
    for expected in (302, 400):
        client.post("/accounts/logout/")
        log_in(client, "lin")
        assert client.post(VERIFY, {"code": code}).status_code == expected
    assert StaticToken.objects.filter(device__user=practitioner).count() == 9


def test_five_wrong_codes_lock_the_account_and_log_out(client, practitioner):
    log_in(client, "lin")
    set_up(client)
    client.post("/accounts/logout/")
    log_in(client, "lin")
    responses = [client.post(VERIFY, {"code": "123456"}) for _ in range(5)]
    assert responses[0].status_code == 400
    # django-otp makes the devices wait after a wrong code: the next ones, sent at once,
    # are told to wait, and count as failures too.
    assert "wait a few seconds" in field_error(responses[1], "code")
    assert [r.status_code for r in responses[1:]] == [429] * 4
    assert "paused for 15 minutes" in responses[4].content.decode()
    assert client.get("/").status_code == 302  # logged out
    assert "paused for 15 minutes" in log_in(client, "lin").content.decode()


def test_a_clinic_admin_resets_a_practitioners_devices_audited_and_told(
    client, practitioner, clinic_admin, settings
):
    log_in(client, "lin")
    set_up(client)
    client.post("/accounts/logout/")
    settings.CLINIC_REQUIRE_2FA = False  # the admin's own second step is tested above
    client.force_login(clinic_admin)
    data = {"action": "reset_two_factor", "_selected_action": [practitioner.pk]}
    response = client.post("/admin/auth/user/", data, follow=True)
    assert "Two-step login reset for lin." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=practitioner).exists()
    assert not StaticToken.objects.filter(device__user=practitioner).exists()
    event = AuditEvent.objects.get(detail="two-step login reset")
    assert (event.actor, event.object_id) == (clinic_admin.username, str(practitioner.pk))
    [email] = mail.outbox
    assert email.to == [practitioner.email] and "was reset by" in email.body


def test_a_superusers_devices_are_reset_only_by_a_superuser(client, clinic_admin, settings):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    TOTPDevice.objects.create(user=root, name="Authenticator app")
    settings.CLINIC_REQUIRE_2FA = False
    client.force_login(clinic_admin)
    data = {"action": "reset_two_factor", "_selected_action": [root.pk]}
    response = client.post("/admin/auth/user/", data, follow=True)
    assert "only a superuser may reset" in response.content.decode()
    assert TOTPDevice.objects.filter(user=root).exists()


def test_the_devices_secrets_are_not_in_the_admin(client, clinic_admin, settings):
    settings.CLINIC_REQUIRE_2FA = False
    client.force_login(clinic_admin)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_off_it_asks_for_nothing_more(client, practitioner, settings):
    settings.CLINIC_REQUIRE_2FA = False
    log_in(client, "lin")
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("url", [SETUP, VERIFY, "/accounts/two-step/new-codes/"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_new_recovery_codes_need_a_post(client, practitioner):
    log_in(client, "lin")
    set_up(client)
    assert client.get("/accounts/two-step/new-codes/").status_code == 405
