"""In a real Chromium on a phone-sized screen, by keyboard only: a patient completes the
whole intake from their link, then sends a check-in; axe checks every step."""

import pytest
from playwright.sync_api import expect

from patients.actions import accept_intake
from patients.models import CheckIn, Intake, Patient, PatientLink, RedFlagReview
from tests.browser_helpers import serious_violations
from tests.factories import PatientFactory, PractitionerFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "en-US", "has_touch": True}


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


class Keyboard:
    def __init__(self, page):
        self.page = page

    def tab_to(self, locator, limit=120):
        """Tab (only) until the locator has the focus."""
        for _ in range(limit):
            if locator.evaluate("element => element === document.activeElement"):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {locator}")

    def fill(self, label, text):
        self.tab_to(self.page.get_by_label(label, exact=True))
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)

    def choose(self, name, value):
        """A radio group: Tab into it, then arrow to the choice (arrows select)."""
        group = self.page.locator(f"input[type=radio][name='{name}']")
        self.tab_to(group.first)
        values = [group.nth(i).get_attribute("value") for i in range(group.count())]
        for _ in range(values.index(value)):
            self.page.keyboard.press("ArrowDown")
        if value == values[0]:
            self.page.keyboard.press("Space")
        expect(group.nth(values.index(value))).to_be_checked()

    def tick(self, locator):
        self.tab_to(locator)
        self.page.keyboard.press("Space")

    def submit(self, name):
        self.tab_to(self.page.get_by_role("button", name=name))
        self.page.keyboard.press("Enter")


def step_is(page, title):
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    assert serious_violations(page) == []


def test_a_patient_completes_the_intake_and_a_check_in_by_keyboard_on_a_phone(
    live_server, phone, console_errors
):
    lin = PractitionerFactory(username="lin")
    patient = PatientFactory(
        given_name="Beatriz", family_name="Costa", email="bea@example.org", phone="",
        date_of_birth=None, status=Patient.Status.INVITED, practitioner=lin,
    )  # fmt: skip
    link, token = PatientLink.issue(patient, PatientLink.Purpose.INTAKE, by=lin)
    page, keys = phone, Keyboard(phone)
    page.goto(f"{live_server.url}/p/intake/{token}/")

    step_is(page, "Welcome to Acupuncture Clinic")
    keys.tab_to(page.get_by_role("link", name="Start"))
    page.keyboard.press("Enter")
    step_is(page, "About you")
    expect(page.get_by_label("First name")).to_have_value("Beatriz")
    keys.fill("Date of birth*", "02031980")  # the date field takes mm dd yyyy here
    keys.fill("Phone*", "07700 900123")
    keys.fill("Emergency contact: name*", "Rui Costa")
    keys.fill("Emergency contact: phone*", "07700 900124")
    keys.submit("Save and continue")

    step_is(page, "Your pain")
    keys.fill("What is the main problem you would like help with?*", "Low back pain")
    keys.tick(page.locator(".bodymap-region[data-region='lower_back']"))
    expect(page.locator("#bodymap-lower_back")).to_be_checked()
    keys.choose("since", "1y_5y")
    keys.submit("Save and continue")

    step_is(page, "How you are doing")
    for name, value in [
        ("pain_now", "6"), ("pain_average", "7"), ("pain_worst", "9"), ("enjoyment", "6"),
        ("activity", "7"),
    ]:  # fmt: skip
        keys.choose(name, value)  # a row of buttons: Tab into it, arrows to the value
    for n, (activity, rating) in enumerate(
        [("Walking the dog", "3"), ("Gardening", "2"), ("Sitting at work", "4")], start=1
    ):
        keys.fill(f"Activity {n}", activity)
        keys.choose(f"psfs_{n}_rating", rating)
    keys.choose("confidence", "3")
    keys.fill("In the past 7 days, how many minutes in all were you moderately active?*", "60")
    keys.submit("Save and continue")

    step_is(page, "Your health")
    keys.choose("previous_acupuncture", "no")
    keys.choose("pregnant", "no")
    for name in [
        "anticoagulants",
        "bleeding_disorder",
        "implanted_device",
        "epilepsy",
        "needle_fear",
        "metal_allergy",
        "diabetes_or_neuropathy",
        "immunosuppressed",
        "skin_infection",
    ]:
        keys.choose(name, "yes" if name == "anticoagulants" else "no")  # fmt: skip
    keys.submit("Save and continue")

    step_is(page, "Important symptoms")
    for name in [
        "weight_loss",
        "fever",
        "cancer",
        "night_pain",
        "trauma",
        "steroids",
        "immune",
        "new_after_50",
        "saddle",
        "bladder_bowel",
        "leg_weakness",
    ]:
        keys.choose(name, "yes" if name == "night_pain" else "no")  # fmt: skip
    keys.submit("Save and continue")

    step_is(page, "Your goals")
    keys.fill("What would you like to be able to do again?*", "Walk the dog for an hour")
    keys.submit("Save and continue")

    step_is(page, "Consent")
    keys.tick(page.get_by_label("I have read the consent text above and I agree to it."))
    keys.fill("Type your full name as your signature*", "Beatriz Costa")
    keys.submit("Save and review")

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("Walking the dog")).to_be_visible()
    assert serious_violations(page) == []
    keys.submit("Send to the clinic")
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert serious_violations(page) == []

    intake = Intake.objects.get(patient=patient)
    assert (intake.status, intake.red_flags, intake.urgent) == ("submitted", ["night_pain"], False)
    assert intake.answers["about"]["date_of_birth"] == "1980-02-03"
    assert intake.answers["pain"]["regions"] == ["lower_back"]

    # The practitioner accepts it (the review of the red flag first); then a check-in.
    RedFlagReview.objects.create(
        intake=intake, reviewed_by=lin, action="safe", notes="Night pain explained by posture."
    )
    accept_intake(intake, by=lin)
    _, checkin_token = PatientLink.issue(patient, PatientLink.Purpose.CHECKIN, by=lin)
    page.goto(f"{live_server.url}/p/checkin/{checkin_token}/")
    step_is(page, "How are you doing?")
    activities = patient.psfs_activities.order_by("position")
    ratings = [(f"psfs_{a.pk}", r) for a, r in zip(activities, "546", strict=True)]
    for name, value in [
        ("pain_now", "5"), ("pain_average", "5"), ("pain_worst", "7"), ("enjoyment", "4"),
        ("activity", "5"), ("confidence", "5"), *ratings,
    ]:  # fmt: skip
        keys.choose(name, value)
    keys.fill("In the past 7 days, how many minutes in all were you moderately active?*", "120")
    keys.submit("Send")
    expect(page.get_by_text("Your check-in is saved.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("5")
    expect(page.get_by_role("button", name="Send")).to_have_count(0)
    assert serious_violations(page) == []
    assert CheckIn.objects.get(patient=patient).active_minutes == 120
    assert console_errors == []
