"""In a real Chromium, with two-step login required: a practitioner logs in, is sent to set
up the authenticator app, types the code an app would compute from the secret shown, keeps
the recovery codes, and logs in again later with a code; no serious axe findings."""

import base64
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser_helpers import log_in, serious_violations
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]


def app_code(secret, later=0):
    """What an authenticator app shows for this secret, `later` steps of 30 s on."""
    totp = TOTP(base64.b32decode(secret.replace(" ", "")))
    totp.time = time.time() + 30 * later
    return f"{totp.token():06d}"


def test_setting_up_the_app_and_logging_in_with_it(
    live_server, page, practitioner, settings, console_errors
):
    settings.CLINIC_REQUIRE_2FA = True
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, live_server.url, "lin", PASSWORD)
    expect(page.get_by_role("heading", name="Set up two-step login")).to_be_visible()
    expect(page.locator("figure.two-factor-qr svg")).to_be_visible()
    assert serious_violations(page) == []
    secret = page.locator("#two-factor-secret").inner_text()
    page.get_by_label("Code").fill(app_code(secret))
    page.get_by_role("button", name="Turn on two-step login").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, "lin", PASSWORD)
    expect(page.get_by_role("heading", name="Two-step login")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_label("Code").fill(app_code(secret, later=1))  # the code used above is spent
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    assert console_errors == []
