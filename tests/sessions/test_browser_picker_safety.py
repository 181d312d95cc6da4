"""In a real Chromium: the point picker's live safety notes are the messages the server
gives it (sessions.safety.PICKER_MESSAGES, through json_script), not its own."""

import pytest
from playwright.sync_api import expect

from sessions.safety import PICKER_MESSAGES
from tests.factories import PASSWORD, PatientFactory, PractitionerFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]


def test_the_picker_says_the_servers_messages(live_server, page):
    lin = PractitionerFactory(username="lin")
    patient = PatientFactory(practitioner=lin, implanted_device=True, epilepsy=True)
    page.goto(f"{live_server.url}/accounts/login/?next=/patients/{patient.uuid}/sessions/new/")
    page.get_by_label("Username").fill("lin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    notes = page.locator("#safety-live")
    cautions = page.locator("#cautions")
    expect(notes).to_be_hidden()
    expect(cautions).to_be_hidden()

    page.locator("#section-stricta summary").click()
    page.get_by_label("Electrical stimulation").check()
    expect(notes).to_contain_text(PICKER_MESSAGES["electro_refused"])
    expect(cautions).to_contain_text(PICKER_MESSAGES["epilepsy"])

    page.get_by_label("Add a point").fill("ST9")
    expect(page.get_by_role("option", name="ST9", exact=False)).to_be_visible()
    page.get_by_label("Add a point").press("Enter")
    expect(cautions).to_contain_text(PICKER_MESSAGES["vessel_or_eye"].format(code="ST9"))
    page.get_by_label(PICKER_MESSAGES["vessel_or_eye"].format(code="ST9")).check()

    page.get_by_label("Electrical stimulation").uncheck()
    expect(cautions).not_to_contain_text(PICKER_MESSAGES["epilepsy"])
    # The box ticked before the list was drawn again is still ticked.
    expect(page.get_by_label(PICKER_MESSAGES["vessel_or_eye"].format(code="ST9"))).to_be_checked()


def test_the_picker_names_a_point_on_a_limb_with_lymphoedema(live_server, page):
    lin = PractitionerFactory(username="lin")
    patient = PatientFactory(practitioner=lin, lymphoedema_limb="left_arm")
    page.goto(f"{live_server.url}/accounts/login/?next=/patients/{patient.uuid}/sessions/new/")
    page.get_by_label("Username").fill("lin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    cautions = page.locator("#cautions")
    expect(cautions).to_contain_text("Lymphoedema of the left arm")  # the condition's own
    page.get_by_label("Add a point").fill("LI4")
    expect(page.get_by_role("option", name="LI4", exact=False)).to_be_visible()
    page.get_by_label("Add a point").press("Enter")  # bilateral: the left hand too
    message = PICKER_MESSAGES["lymphoedema_point"].format(code="LI4", limb="the left arm")
    expect(cautions).to_contain_text(message)
    page.get_by_label("Side for LI4", exact=True).select_option("R")
    expect(cautions).not_to_contain_text(message)


def test_the_picker_asks_for_cv8s_acknowledgement_and_a_lung_field_point_the_catalogue_added(
    live_server, page
):
    lin = PractitionerFactory(username="lin")
    patient = PatientFactory(practitioner=lin)
    page.goto(f"{live_server.url}/accounts/login/?next=/patients/{patient.uuid}/sessions/new/")
    page.get_by_label("Username").fill("lin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    cautions = page.locator("#cautions")
    expect(cautions).to_be_hidden()
    for code in ("CV8", "SI12"):
        page.get_by_label("Add a point").fill(code)
        expect(page.get_by_role("option", name=code, exact=False).first).to_be_visible()
        page.get_by_label("Add a point").press("Enter")
    cv8 = PICKER_MESSAGES["do_not_needle"].format(code="CV8")
    si12 = PICKER_MESSAGES["lung_field"].format(code="SI12")
    expect(page.get_by_label(cv8)).not_to_be_checked()
    expect(page.get_by_label(si12)).not_to_be_checked()
    page.get_by_label(cv8).check()
    page.locator(".point-row:not(.point-row-blank) .point-delete").nth(1).check()  # SI12
    expect(cautions).not_to_contain_text(si12)
    expect(page.get_by_label(cv8)).to_be_checked()
