"""In a real Chromium: a note with a lung-field point asks for the caution's acknowledgement
where the point is picked and again in the sign review, and is signed only once it is
given; then the page offers the next steps."""

import pytest
from playwright.sync_api import expect

from sessions.models import TreatmentSession
from tests.browser_helpers import serious_violations
from tests.factories import PASSWORD, PatientFactory, PractitionerFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]

LU1 = "LU1 Zhongfu lies over the lung field: keep the depth and angle safe (pneumothorax risk)."


def test_a_lung_field_point_is_signed_only_once_its_caution_is_acknowledged(
    live_server, page, console_errors
):
    lin = PractitionerFactory(username="lin", first_name="Lin", last_name="Zhao")
    patient = PatientFactory(given_name="Ana", family_name="Silva", practitioner=lin)
    page.goto(f"{live_server.url}/accounts/login/?next=/patients/{patient.uuid}/sessions/new/")
    page.get_by_label("Username").fill("lin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")

    cautions = page.locator("#cautions")
    expect(cautions).to_be_hidden()
    page.get_by_label("Add a point").fill("LU1")
    expect(page.get_by_role("option", name="LU1 Zhongfu", exact=False)).to_be_visible()
    page.get_by_label("Add a point").press("Enter")
    expect(cautions).to_contain_text("LU1 lies over the lung field")  # where it is picked
    page.get_by_role("button", name="Save and sign").click()

    expect(page.get_by_role("heading", name="Sign session 1")).to_be_visible()
    box = page.get_by_label(LU1)
    expect(box).not_to_be_checked()
    expect(box).to_be_focused()
    assert serious_violations(page) == []
    page.get_by_label("Sign with", exact=False).check()
    page.get_by_role("button", name="Sign the note").click()

    alert = page.get_by_role("alert")  # refused: the caution is not acknowledged
    expect(alert).to_contain_text("Acknowledge each caution marked below (1 left).")
    expect(page.get_by_text("Acknowledge this caution to sign.")).to_be_visible()
    expect(page.get_by_label(LU1)).not_to_be_checked()
    expect(page.get_by_label("Sign with", exact=False)).to_be_checked()  # kept as ticked
    session = TreatmentSession.objects.get(patient=patient)
    assert session.status == "draft"

    page.get_by_label(LU1).check()
    page.get_by_role("button", name="Sign the note").click()
    expect(page.get_by_text("Session 1 signed.")).to_be_visible()
    expect(page.get_by_role("link", name="Back to the patient")).to_be_visible()
    expect(page.get_by_role("button", name="Send a check-in link")).to_be_visible()
    expect(page.get_by_text("Cautions acknowledged")).to_be_visible()
    assert serious_violations(page) == []

    session.refresh_from_db()
    ack = session.acknowledgements.get()
    assert (session.status, ack.caution, ack.acknowledged_by) == ("signed", "lung_field:LU1", lin)
    assert session.signed_with == "no notes text; no response obtained; no needle type"
    assert console_errors == []
