"""In a real Chromium: log in, create a patient, find it, open it; axe on each page."""

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import serious_violations
from tests.factories import PASSWORD, PractitionerFactory

# serialized_rollback: the flush after a live-server test would also empty the tables that
# migrations fill (the point catalogue), which later tests need.
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]


def test_a_practitioner_logs_in_adds_finds_and_opens_a_patient(live_server, page, console_errors):
    PractitionerFactory(username="lin", first_name="Lin", last_name="Zhao")

    page.goto(live_server.url + "/patients/")
    expect(page).to_have_url(live_server.url + "/accounts/login/?next=/patients/")
    assert serious_violations(page) == []
    page.get_by_label("Username").fill("lin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    page.get_by_role("link", name="New patient", exact=True).click()
    page.get_by_label("Given name").fill("Mira")
    page.get_by_label("Family name").fill("Novak")
    page.get_by_label("Date of birth").fill("1984-03-09")
    page.get_by_label("Email").fill("mira.novak@example.org")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Mira Novak")).to_be_visible()
    expect(page.get_by_role("status").first).to_contain_text("Mira Novak was added.")

    page.get_by_role("link", name="Patients", exact=True).first.click()
    assert serious_violations(page) == []
    page.get_by_label("Search").fill("novak")
    page.get_by_label("Search").press("Enter")
    expect(page.locator("#result-count")).to_contain_text("1 patient matching")
    page.get_by_role("link", name="Novak, Mira").click()

    expect(page.get_by_role("heading", name="Mira Novak")).to_be_visible()
    expect(page.get_by_text("Dr Zhao")).to_be_visible()
    assert serious_violations(page) == []
    assert console_errors == []


def test_the_form_shows_errors_next_to_fields_and_keeps_input(live_server, page, console_errors):
    PractitionerFactory(username="lin")
    page.goto(live_server.url + "/accounts/login/?next=/patients/new/")
    page.get_by_label("Username").fill("lin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")

    page.get_by_label("Given name").fill("Mira")
    page.get_by_label("Family name").fill("Novak")
    page.get_by_label("Date of birth").fill("2999-01-01")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("The date of birth cannot be in the future.")).to_be_visible()
    expect(page.get_by_label("Given name")).to_have_value("Mira")
    assert serious_violations(page) == []
    assert console_errors == []
