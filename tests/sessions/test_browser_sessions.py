"""In a real Chromium, by keyboard only: repeat last week's treatment with one change and
a protocol, sign it, and find it on the timeline; axe on the pages on the way."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sessions.models import (
    MISSING_DETAILS,
    AcupuncturePoint,
    Protocol,
    ProtocolPoint,
    SessionPoint,
    TreatmentSession,
)
from tests.browser_helpers import serious_violations
from tests.factories import PASSWORD, PatientFactory, PractitionerFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]


class Keyboard:
    """Presses keys and counts the actions: a key press or a typed value is one action."""

    def __init__(self, page):
        self.page = page
        self.actions = 0

    def press(self, key):
        self.page.keyboard.press(key)
        self.actions += 1

    def type(self, text):
        self.page.keyboard.type(text)
        self.actions += 1


@pytest.fixture
def last_weeks_treatment(browser_db):
    lin = PractitionerFactory(username="lin", first_name="Lin", last_name="Zhao")
    patient = PatientFactory(given_name="Ana", family_name="Silva", practitioner=lin)
    session = TreatmentSession.objects.create(
        patient=patient, practitioner=lin, session_number=1, retention_minutes=25,
        started_at=timezone.now() - datetime.timedelta(days=7), pain_before=7, pain_after=5,
    )  # fmt: skip
    for order, code in enumerate(["ST36", "LI4"]):
        point = AcupuncturePoint.objects.get(code=code)
        SessionPoint.objects.create(session=session, point=point, side="B", order=order)
    session.sign(by=lin, signed_with=[key for key, _ in MISSING_DETAILS])
    protocol = Protocol.objects.create(name="Neck and shoulder", owner=lin)
    for order, code in enumerate(["GB20", "SI3"]):
        point = AcupuncturePoint.objects.get(code=code)
        ProtocolPoint.objects.create(protocol=protocol, point=point, side="B", order=order)
    return patient


def log_in(page, live_server, next_path):
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill("lin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")


def test_a_repeat_session_is_logged_and_signed_by_keyboard_in_under_20_actions(
    live_server,
    page,
    last_weeks_treatment,
    console_errors,  # noqa: F811
):
    patient = last_weeks_treatment
    log_in(page, live_server, patient.get_absolute_url())
    expect(page.get_by_role("heading", name="Ana Silva")).to_be_visible()
    keys = Keyboard(page)

    keys.press("Tab")  # the skip link
    keys.press("Enter")  # to the main content
    keys.press("Tab")  # the breadcrumb
    keys.press("Tab")  # "Log session"
    expect(page.get_by_role("link", name="Log session")).to_be_focused()
    keys.press("Enter")

    expect(page.get_by_role("heading", name="New session")).to_be_visible()
    expect(page.get_by_label("Pain now, before (0-10)")).to_be_focused()
    expect(page.locator(".point-code >> visible=true")).to_have_count(2)  # last week's points
    assert serious_violations(page) == []
    keys.type("6")
    keys.press("Tab")
    keys.type("4")
    keys.press("Tab")  # the point search
    keys.type("liv 3")
    expect(page.get_by_role("option", name="LR3 Taichong", exact=False)).to_be_visible()
    keys.press("Enter")  # adds LR3, bilateral
    keys.press("Tab")  # the protocol list: the only protocol is chosen
    keys.press("Tab")  # "Add its points"
    keys.press("Enter")
    expect(page.locator("#needle-count")).to_contain_text("Added 2 points")
    keys.press("Control+Enter")  # save the draft

    expect(page.get_by_text("Draft of session 2 saved.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign…")).to_be_focused()
    assert serious_violations(page) == []
    keys.press("Enter")  # the sign review
    expect(page.get_by_role("heading", name="Sign session 2")).to_be_visible()
    missing = page.get_by_label("Sign with no notes text, no response obtained, no needle type")
    expect(missing).to_be_focused()
    assert serious_violations(page) == []
    keys.press("Space")  # sign knowing what the note lacks
    keys.press("Tab")  # "Sign the note"
    keys.press("Enter")
    expect(page.get_by_text("Session 2 signed.")).to_be_visible()
    assert keys.actions < 20

    session = TreatmentSession.objects.get(patient=patient, session_number=2)
    codes = list(session.points.values_list("point__code", "side"))
    assert codes == [("ST36", "B"), ("LI4", "B"), ("LR3", "B"), ("GB20", "B"), ("SI3", "B")]
    assert (session.status, session.pain_before, session.pain_after, session.retention_minutes) == (
        "signed", 6, 4, 25,
    )  # fmt: skip

    page.get_by_role("link", name="Ana Silva").click()
    newest = page.locator(".timeline li").first
    expect(newest).to_contain_text("Session 2")
    expect(newest).to_contain_text("Pain 6 → 4")
    expect(newest).to_contain_text("LR3")
    expect(newest).to_contain_text("Signed")
    assert serious_violations(page) == []
    assert console_errors == []


def test_the_form_works_without_javascript(live_server, browser, last_weeks_treatment):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    patient = last_weeks_treatment
    log_in(page, live_server, f"/patients/{patient.uuid}/sessions/new/")
    page.locator(".point-row-blank .point-code").first.fill("UB40")
    page.locator(".point-row-blank .point-side").first.select_option("L")
    page.get_by_role("button", name="Add its points").click()  # re-rendered, nothing saved
    expect(page.locator(".point-code[value='GB20']")).to_have_count(1)
    page.get_by_role("button", name="Save and sign").click()
    expect(page.get_by_role("heading", name="Sign session 2")).to_be_visible()
    page.get_by_label("Sign with", exact=False).check()
    page.get_by_role("button", name="Sign the note").click()
    expect(page.get_by_text("Session 2 signed.")).to_be_visible()
    session = TreatmentSession.objects.get(patient=patient, session_number=2)
    assert ("BL40", "L") in list(session.points.values_list("point__code", "side"))
    context.close()


def test_the_picker_warns_as_points_are_chosen(live_server, page, last_weeks_treatment):
    patient = last_weeks_treatment
    patient.pregnant = True
    patient.save()
    log_in(page, live_server, f"/patients/{patient.uuid}/sessions/new/")
    warnings = page.locator("#cautions")
    expect(warnings).to_contain_text("LI4: traditionally avoided in pregnancy")  # repeated
    page.get_by_label("Add a point").fill("GB21")
    expect(page.get_by_role("option", name="GB21", exact=False)).to_be_visible()
    page.get_by_label("Add a point").press("Enter")
    expect(warnings).to_contain_text("GB21 lies over the lung field")
    page.get_by_label("Remove LI4").check()
    expect(warnings).not_to_contain_text("LI4")
