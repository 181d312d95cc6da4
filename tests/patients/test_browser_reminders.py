"""In a real Chromium: the check-in thank-you page and the reminders' unsubscribe page on a
phone (axe, touch targets, the button by keyboard), and the patient page's reminders
section with its Restart button on a desktop."""

import pytest
from playwright.sync_api import expect

from patients import reminders as sending
from patients.models import Patient, PatientLink, Reminder
from tests.browser_helpers import log_in, serious_violations
from tests.factories import PASSWORD, CheckInFactory, StartedCourseFactory
from tests.intake_helpers import checkin_thanks_url
from tests.progress_helpers import days_ago

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "en-GB", "has_touch": True}


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def ana(patient, practitioner):
    """Ana: phase 1 for four weeks, three check-ins, agreed to weekly reminders."""
    StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(28))
    for days, pain in [(21, 7), (14, 6), (7, 4)]:
        CheckInFactory(patient=patient, taken_on=days_ago(days), pain_average=pain)
    Patient.objects.filter(pk=patient.pk).update(reminder_consent=True)
    return Patient.objects.get(pk=patient.pk)


def test_the_thank_you_page_on_a_phone(live_server, phone, ana, console_errors):
    _, token = PatientLink.issue(ana, PatientLink.Purpose.CHECKIN)
    phone.goto(live_server.url + checkin_thanks_url(token))
    expect(phone.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(phone.get_by_text("Phase 1 of 3: calming things down")).to_be_visible()
    chart = phone.get_by_role("img", name="Your average pain at each check-in")
    box = chart.bounding_box()
    assert box["width"] > 300 and box["height"] > 100  # the phone's width, not a thumbnail
    expect(phone.get_by_role("table")).to_contain_text("4")
    assert phone.locator("form").count() == 0
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    assert serious_violations(phone) == []
    assert console_errors == []


def test_unsubscribing_on_a_phone_by_keyboard(live_server, phone, ana):
    phone.goto(live_server.url + sending.unsubscribe_path(ana))
    button = phone.get_by_role("button", name="Stop reminders")
    assert button.bounding_box()["height"] >= 44
    assert serious_violations(phone) == []
    for _ in range(10):
        if button.evaluate("element => element === document.activeElement"):
            break
        phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("heading", name="Reminders are off")).to_be_visible()
    assert Patient.objects.get(pk=ana.pk).reminder_consent is False


def test_the_patient_page_shows_the_reminders_and_restarts_them(live_server, page, ana):
    for days in (2, 1, 0):  # three reminders since her last check-in (saved before): stopped
        Reminder.objects.create(patient=ana, due_on=days_ago(days), channel="email")
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, live_server.url, "lin", PASSWORD)
    page.goto(live_server.url + ana.get_absolute_url())
    section = page.locator("section", has=page.get_by_role("heading", name="Check-in reminders"))
    expect(section).to_contain_text("Weekly, by email")
    expect(section).to_contain_text("not answered yet")
    expect(section).to_contain_text("3 reminders in a row went unanswered")
    assert serious_violations(page) == []
    section.get_by_role("button", name="Restart reminders").click()
    expect(page.get_by_text("Reminders restarted")).to_be_visible()
    expect(section.get_by_role("button", name="Restart reminders")).to_have_count(0)
    assert Patient.objects.get(pk=ana.pk).reminders_restarted_at is not None
