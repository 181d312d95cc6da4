"""In a real Chromium: one draft open in two tabs, both saved. The second tab's save is
answered with the conflict and keeps what was typed in it (issue 10, Build 3)."""

import pytest
from playwright.sync_api import expect

from sessions.models import TreatmentSession
from tests.browser_helpers import serious_violations
from tests.factories import PASSWORD, PatientFactory, PractitionerFactory
from tests.session_factories import TreatmentSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]


def test_the_second_tab_hears_of_the_conflict_and_keeps_its_text(live_server, context):
    lin = PractitionerFactory(username="lin", first_name="Lin", last_name="Zhao")
    patient = PatientFactory(given_name="Ana", family_name="Silva", practitioner=lin)
    session = TreatmentSessionFactory(patient=patient, practitioner=lin, subjective="Neck stiff.")
    edit = f"{live_server.url}/patients/{patient.uuid}/sessions/{session.uuid}/edit/"

    first = context.new_page()
    first.goto(f"{live_server.url}/accounts/login/?next={edit}")
    first.get_by_label("Username").fill("lin")
    first.get_by_label("Password").fill(PASSWORD)
    first.get_by_label("Password").press("Enter")
    expect(first.get_by_role("heading", name="Edit draft of session 1")).to_be_visible()
    second = context.new_page()
    second.goto(edit)

    for page, text in [(first, "Tab one: better today."), (second, "Tab two: worse at night.")]:
        page.locator("#section-soap summary").click()
        page.get_by_label("Subjective").fill(text)

    first.get_by_role("button", name="Save draft").last.click()
    expect(first.get_by_text("Draft of session 1 saved.")).to_be_visible()
    second.get_by_role("button", name="Save draft").last.click()

    expect(second.get_by_text("This draft was saved elsewhere")).to_be_visible()
    expect(second.get_by_text("Saved meanwhile as: “Tab one: better today.”")).to_be_visible()
    expect(second.get_by_label("Subjective")).to_have_value("Tab two: worse at night.")
    assert TreatmentSession.objects.get(pk=session.pk).subjective == "Tab one: better today."
    assert serious_violations(second) == []
    second.screenshot(path="/tmp/two-tabs-conflict.png", full_page=True)

    second.get_by_role("button", name="Save draft").last.click()  # keep tab two's, knowingly
    expect(second.get_by_text("Draft of session 1 saved.")).to_be_visible()
    assert TreatmentSession.objects.get(pk=session.pk).subjective == "Tab two: worse at night."
