"""In a real Chromium: the picker's live needle count counts per point (Baxie 4 a hand,
Yintang one on the midline) and follows a row's own count (three Jiaji levels); CV8 asks for
its "not needled" caution to be acknowledged; the new fields pass axe's serious checks."""

import pytest
from playwright.sync_api import expect

from sessions.safety import PICKER_MESSAGES
from tests.browser_helpers import serious_violations
from tests.factories import PASSWORD, PatientFactory, PractitionerFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]


def pick(page, query, code):
    page.get_by_label("Add a point").fill(query)
    expect(page.get_by_role("option", name=code, exact=False).first).to_be_visible()
    page.get_by_label("Add a point").press("Enter")


def test_the_needle_count_follows_the_points_and_a_rows_own_count(live_server, page):
    lin = PractitionerFactory(username="lin")
    patient = PatientFactory(practitioner=lin)
    page.goto(f"{live_server.url}/accounts/login/?next=/patients/{patient.uuid}/sessions/new/")
    page.get_by_label("Username").fill("lin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    count = page.locator("#needle-count")

    pick(page, "GV29", "EX-HN3")
    expect(page.get_by_label("Side for EX-HN3")).to_have_value("M")
    expect(count).to_have_text("1 needle")
    pick(page, "baxie", "EX-UE9")
    expect(count).to_have_text("9 needles")
    pick(page, "huatuojiaji", "EX-B2")
    expect(count).to_have_text("11 needles")
    page.get_by_label("Needles for EX-B2 (per side)").fill("3")
    expect(count).to_have_text("15 needles")
    page.get_by_label("Needle length in mm for EX-B2").fill("25")

    pick(page, "CV8", "CV8")
    not_needled = PICKER_MESSAGES["do_not_needle"].format(code="CV8")
    expect(page.get_by_label(not_needled)).not_to_be_checked()  # a caution to acknowledge
    assert serious_violations(page) == []

    page.get_by_label("Remove CV8").check()
    expect(page.locator("#cautions")).not_to_contain_text(not_needled)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("15 needles")).to_be_visible()
    note = patient.treatment_sessions.get()
    assert note.needle_count == 15
    assert note.points.get(point__code="EX-B2").needle_length_mm == 25
