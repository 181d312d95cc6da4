"""The patient's story beside the note, in a real Chromium: open in a column beside the
form on a desktop, open above it on a tablet, folded above it on a phone (and opened by
keyboard there), with no serious or critical axe violation at any of the three."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions.models import MISSING_DETAILS, TreatmentSession
from tests.browser_helpers import serious_violations
from tests.factories import PASSWORD, PatientFactory, PractitionerFactory, StartedCourseFactory
from tests.progress_helpers import days_ago

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]


@pytest.fixture
def repeat_patient(browser_db):
    lin = PractitionerFactory(username="lin", first_name="Lin", last_name="Zhao")
    patient = PatientFactory(given_name="Ana", family_name="Silva", practitioner=lin)
    StartedCourseFactory(
        patient=patient, accepted_by=lin, on=days_ago(30), baseline__pain_average=8,
        answers={"pain": {"complaint": "Low back pain", "regions": ["lower_back"]}},
    )  # fmt: skip
    session = TreatmentSession.objects.create(
        patient=patient, practitioner=lin, session_number=1,
        started_at=timezone.now() - datetime.timedelta(days=7), pain_before=7, pain_after=5,
        assessment="Qi stagnation, easing", plan="Weekly for four weeks",
    )  # fmt: skip
    session.sign(by=lin, signed_with=[key for key, _ in MISSING_DETAILS])
    patient.anticoagulants = True  # since the last visit: a caution on today's note
    patient.save()
    return patient


def open_form(page, live_server, patient):
    page.goto(f"{live_server.url}/accounts/login/?next=/patients/{patient.uuid}/sessions/new/")
    page.get_by_label("Username").fill("lin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("heading", name="New session")).to_be_visible()


def boxes(page):
    """The story's and the form's boxes, in the page's coordinates (both at one moment)."""
    return page.evaluate(
        """() => ["story", "session-form"].map((id) => {
            const box = document.getElementById(id).getBoundingClientRect();
            return {left: box.left, right: box.right, top: box.top + window.scrollY,
                    bottom: box.bottom + window.scrollY};
        })"""
    )


def test_on_a_desktop_the_story_is_open_beside_the_form(
    live_server, page, repeat_patient, console_errors
):
    page.set_viewport_size({"width": 1440, "height": 900})
    open_form(page, live_server, repeat_patient)
    story = page.locator("#story")
    expect(story).to_have_attribute("open", "")
    expect(story.get_by_text("Qi stagnation, easing")).to_be_visible()
    expect(story.get_by_text("Weekly for four weeks")).to_be_visible()
    expect(story.get_by_text("Low back pain", exact=True)).to_be_visible()
    panel, form = boxes(page)
    assert panel["left"] >= form["right"]  # a column to the right of the form
    assert panel["top"] < form["top"] + 200  # beside it, not below
    expect(page.get_by_label("Subjective")).to_be_visible()  # a repeat visit: SOAP open
    expect(page.get_by_label("Pain now, before (0-10)")).to_be_focused()
    assert serious_violations(page) == []
    assert console_errors == []


def test_on_a_narrow_screen_the_story_is_folded_above_the_form(
    live_server, page, repeat_patient, console_errors
):
    page.set_viewport_size({"width": 390, "height": 844})
    open_form(page, live_server, repeat_patient)
    story = page.locator("#story")
    expect(story).not_to_have_attribute("open", "")
    expect(story.get_by_text("Qi stagnation, easing")).to_be_hidden()
    expect(story.locator("summary")).to_contain_text("last note")
    panel, form = boxes(page)
    assert panel["bottom"] <= form["top"]  # above the form
    expect(page.get_by_label("Pain now, before (0-10)")).to_be_focused()
    assert serious_violations(page) == []
    story.locator("summary").focus()
    page.keyboard.press("Enter")  # opens it
    expect(story.get_by_text("Qi stagnation, easing")).to_be_visible()
    assert serious_violations(page) == []
    assert console_errors == []


def test_on_a_tablet_the_story_is_open_above_the_form(
    live_server, page, repeat_patient, console_errors
):
    page.set_viewport_size({"width": 1024, "height": 1366})
    open_form(page, live_server, repeat_patient)
    story = page.locator("#story")
    expect(story).to_have_attribute("open", "")
    expect(story.get_by_text("Qi stagnation, easing")).to_be_visible()
    panel, form = boxes(page)
    assert panel["bottom"] <= form["top"]
    expect(page.get_by_label("Pain now, before (0-10)")).to_be_focused()
    assert serious_violations(page) == []
    assert console_errors == []


def test_a_first_visit_says_so_and_keeps_the_soap_notes_folded(live_server, page, browser_db):
    lin = PractitionerFactory(username="lin", first_name="Lin", last_name="Zhao")
    patient = PatientFactory(given_name="Ana", family_name="Silva", practitioner=lin)
    StartedCourseFactory(patient=patient, accepted_by=lin, on=days_ago(2))
    page.set_viewport_size({"width": 1440, "height": 900})
    open_form(page, live_server, patient)
    story = page.locator("#story")
    expect(
        story.get_by_text("No earlier note: this is the patient's first session.")
    ).to_be_visible()
    expect(page.get_by_label("Subjective")).to_be_hidden()
    assert serious_violations(page) == []
