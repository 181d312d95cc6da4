"""The intake and a check-in on a phone (390 x 844, touch), as a patient's thumb does them:
how many taps, typed characters and screens of scrolling one fixed set of answers takes.

The counting is `Thumb`'s, the same code for every version of the pages (issue 16 measured
main with it before the scales and the welcome page, and the numbers are in BEFORE):

- a tap is one tap on a control: a field (to type in it), a choice, a picture's area, a
  button ("Start", "Save and continue", "Send");
- a typed character is one key pressed on the phone's keyboard (a date is its 8 digits);
- a screen of scrolling is 844 px (the phone's screen) of scrolling: each page's document
  height at load less the one screen it shows without scrolling, summed over the pages the
  patient sees (the intake's steps, the review, the welcome page when there is one; not
  the thank-you page), / 844. A page that fits the screen costs none."""

import pytest
from playwright.sync_api import expect

from patients.models import CheckIn, Intake, Patient, PatientLink, PsfsActivity
from patients.models.intake import RED_FLAGS, SAFETY_QUESTIONS
from tests.factories import PatientFactory, PractitionerFactory, StartedCourseFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]
SCREEN = 844
PHONE = {
    "viewport": {"width": 390, "height": SCREEN},
    "locale": "en-US",
    "has_touch": True,
    "is_mobile": True,
    "device_scale_factor": 1,
}


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context.new_page()
    context.close()


class Thumb:
    """Fills a form on the phone as a person does, and counts what it took."""

    def __init__(self, page):
        self.page = page
        self.taps = 0
        self.typed = 0
        self.heights = []  # (page title, document height in px)

    @property
    def screens(self):
        """Screens of scrolling, to one decimal."""
        return round(sum(max(0, height - SCREEN) for _, height in self.heights) / SCREEN, 1)

    def arrive(self, heading=None):
        """A new page, known by its heading: its height counts toward the screens."""
        if heading:
            expect(self.page.get_by_role("heading", name=heading, level=1)).to_be_visible()
        self.page.wait_for_load_state("load")
        height = self.page.evaluate("document.documentElement.scrollHeight")
        self.heights.append((self.page.title(), height))

    def tap(self, locator):
        locator.scroll_into_view_if_needed()
        locator.tap()
        self.taps += 1

    def type(self, locator, text):
        self.tap(locator)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)
        self.typed += len(text)

    def type_date(self, locator, iso):
        """A date field takes its digits (mm dd yyyy here): 8 characters."""
        year, month, day = iso.split("-")
        self.type(locator, month + day + year)

    def field(self, name):
        return self.page.locator(f"[name='{name}']")

    def choose(self, name, value):
        """A choice: a tap on it (its label, the larger target; or the box itself)."""
        option = self.page.locator(f"input[name='{name}'][value='{value}']")
        label = self.page.locator(f"label[for='{option.get_attribute('id')}']")
        self.tap(label if label.count() and label.is_visible() else option)
        expect(option).to_be_checked()

    def score(self, name, value):
        """A 0-10 answer, with whatever control the page has for it: a number box is a
        tap and the digits; a row of choices is a tap on the one."""
        if self.field(name).first.get_attribute("type") == "number":
            self.type(self.field(name), str(value))
        else:
            self.choose(name, str(value))

    def press(self, name):
        """A button or a link that looks like one, by its name."""
        self.tap(
            self.page.get_by_role("button", name=name)
            .or_(self.page.get_by_role("link", name=name))
            .first
        )


# One set of answers, the same before and after.
ABOUT = {
    "date_of_birth": "1984-03-12",
    "phone": "07700 900456",
    "emergency_contact_name": "Rui Costa",
    "emergency_contact_phone": "07700 900789",
}
PAIN = {
    "complaint": "Low back pain into the left buttock",
    "regions": ["lower_back", "buttock_l"],
    "since": "1y_5y",
    "worse": "Sitting",
    "feels_like": ["aching", "stiff"],
}
SCORES = {"pain_now": 6, "pain_average": 7, "pain_worst": 9, "enjoyment": 6, "activity": 7}
ACTIVITIES = [("Walking the dog", 4), ("Gardening", 3), ("Sitting through a film", 6)]
CONFIDENCE, ACTIVE_MINUTES = 4, "90"
GOALS = "Walk the dog for half an hour"
SIGNATURE = "Beatriz Costa"


def fill_intake(page, thumb, url):
    page.goto(url)
    thumb.arrive()
    if page.get_by_role("heading", name="About you", level=1).count() == 0:
        thumb.press("Start")  # a welcome page first
        thumb.arrive("About you")
    else:
        expect(page.get_by_role("heading", name="About you", level=1)).to_be_visible()
    thumb.type_date(thumb.field("date_of_birth"), ABOUT["date_of_birth"])
    for name in ["phone", "emergency_contact_name", "emergency_contact_phone"]:
        thumb.type(thumb.field(name), ABOUT[name])
    thumb.press("Save and continue")

    thumb.arrive("Your pain")
    thumb.type(thumb.field("complaint"), PAIN["complaint"])
    for region in PAIN["regions"]:  # on the body map
        thumb.tap(page.locator(f".bodymap-region[data-region='{region}']"))
    thumb.choose("since", PAIN["since"])
    thumb.type(thumb.field("worse"), PAIN["worse"])
    for feeling in PAIN["feels_like"]:
        thumb.choose("feels_like", feeling)
    thumb.press("Save and continue")

    thumb.arrive("How you are doing")
    for name, value in SCORES.items():
        thumb.score(name, value)
    for n, (activity, rating) in enumerate(ACTIVITIES, start=1):
        thumb.type(thumb.field(f"psfs_{n}"), activity)
        thumb.score(f"psfs_{n}_rating", rating)
    thumb.score("confidence", CONFIDENCE)
    thumb.type(thumb.field("active_minutes"), ACTIVE_MINUTES)
    thumb.press("Save and continue")

    thumb.arrive("Your health")
    thumb.choose("previous_acupuncture", "no")
    thumb.choose("pregnant", "no")
    for key, _ in SAFETY_QUESTIONS:
        thumb.choose(key, "no")
    thumb.press("Save and continue")

    thumb.arrive("Important symptoms")
    for key, _, _ in RED_FLAGS:
        thumb.choose(key, "no")
    thumb.press("Save and continue")

    thumb.arrive("Your goals")
    thumb.type(thumb.field("goals"), GOALS)
    thumb.press("Save and continue")

    thumb.arrive("Consent")
    thumb.tap(page.get_by_label("I have read the consent text above and I agree to it."))
    thumb.type(thumb.field("signature"), SIGNATURE)
    thumb.press("Save and review")

    thumb.arrive("Check your answers")
    thumb.press("Send to the clinic")
    expect(page.get_by_role("heading", name="Thank you", level=1)).to_be_visible()


def fill_checkin(page, thumb, url):
    page.goto(url)
    thumb.arrive("How are you doing?")
    for name, value in SCORES.items():
        thumb.score(name, value - 1)
    for activity in PsfsActivity.objects.order_by("position"):
        thumb.score(f"psfs_{activity.pk}", 5)
    thumb.score("confidence", CONFIDENCE + 1)
    thumb.type(thumb.field("active_minutes"), "120")
    thumb.press("Send")
    expect(page.get_by_text("Your check-in is saved.")).to_be_visible()


def invited_patient():
    lin = PractitionerFactory(username="lin")
    patient = PatientFactory(
        given_name="Beatriz", family_name="Costa", email="bea@example.org", phone="",
        date_of_birth=None, status=Patient.Status.INVITED, practitioner=lin,
    )  # fmt: skip
    return patient, PatientLink.issue(patient, PatientLink.Purpose.INTAKE, by=lin)[1]


def patient_in_care():
    patient = PatientFactory(given_name="Ana", family_name="Silva")
    StartedCourseFactory(patient=patient)
    for position, (name, _) in enumerate(ACTIVITIES, start=1):
        PsfsActivity.objects.create(patient=patient, name=name, position=position)
    return patient, PatientLink.issue(patient, PatientLink.Purpose.CHECKIN)[1]


def report(what, thumb):
    pages = ", ".join(f"{title}: {height}px" for title, height in thumb.heights)
    counts = f"{thumb.taps} taps, {thumb.typed} characters, {thumb.screens} screens of scrolling"
    print(f"\n{what}: {counts} ({pages})")


def test_measure_the_intake_on_a_phone(live_server, phone):
    patient, token = invited_patient()
    thumb = Thumb(phone)
    fill_intake(phone, thumb, f"{live_server.url}/p/intake/{token}/")
    report("intake", thumb)
    intake = Intake.objects.get(patient=patient)
    assert intake.status == Intake.Status.SUBMITTED
    assert intake.answers["measures"]["pain_worst"] == 9
    assert intake.answers["pain"]["regions"] == ["lower_back", "buttock_l"]


def test_measure_a_check_in_on_a_phone(live_server, phone):
    patient, token = patient_in_care()
    thumb = Thumb(phone)
    fill_checkin(phone, thumb, f"{live_server.url}/p/checkin/{token}/")
    report("check-in", thumb)
    checkin = CheckIn.objects.get(patient=patient)
    assert checkin.active_minutes == 120
