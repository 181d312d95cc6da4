"""In a real Chromium at desktop width: a practitioner opens an intake from the queue,
reads its clinical summary (red flags first, the baselines, the pain map drawn), opens all
the answers from the keyboard, records the red-flag review and accepts the intake; axe
finds nothing serious, and the pages log no errors."""

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import log_in, serious_violations
from tests.factories import (
    PASSWORD,
    InvitedPatientFactory,
    PractitionerFactory,
    SubmittedIntakeFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]


def test_a_practitioner_reads_the_summary_and_accepts_the_intake(live_server, page, console_errors):
    lin = PractitionerFactory(username="lin", first_name="Lin", last_name="Zhao")
    SubmittedIntakeFactory(patient=InvitedPatientFactory(practitioner=lin), flagged=True)
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, live_server.url, "lin", PASSWORD)
    page.goto(f"{live_server.url}/patients/intakes/")
    expect(page.locator(".intake-queue-flags")).to_have_text(
        "Saddle-area numbness or tingling; Fever, chills or night sweats"
    )
    assert serious_violations(page) == []
    page.get_by_role(
        "link", name="Bea Costa"
    ).click()  # the name invited; the intake gives her full one

    expect(page.get_by_role("heading", name="Red flags and safety")).to_be_visible()
    flags = page.locator(".alert-danger li")
    expect(flags.first).to_contain_text("Saddle-area numbness or tingling: yes")
    expect(page.locator("#peg-baseline tfoot")).to_contain_text("6.7")
    expect(page.locator("#psfs-baseline tfoot")).to_contain_text("4.3")
    marked = page.locator(".bodymap-static .bodymap-region.selected")
    expect(marked).to_have_count(2)
    for n in range(2):  # drawn, and filled with the map's "chosen" colour
        assert marked.nth(n).bounding_box()["width"] > 10
        assert marked.nth(n).evaluate("shape => getComputedStyle(shape).fill") == (
            "rgb(217, 72, 15)"
        )
    expect(page.get_by_role("img", name="Back of the body, seen from behind")).to_be_visible()
    expect(page.get_by_text("Date of birth")).to_be_hidden()  # folded
    assert serious_violations(page) == []

    summary = page.locator("details.intake-answers > summary")
    summary.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Date of birth", exact=True)).to_be_visible()
    expect(page.locator("details.intake-answers")).to_contain_text("12 Mar 1984 (age")
    assert serious_violations(page) == []
    page.set_viewport_size({"width": 1024, "height": 1366})  # a tablet, upright
    assert serious_violations(page) == []

    page.get_by_label("Referred for same-day medical assessment").check()
    page.get_by_role("button", name="Record the review").press("Enter")
    expect(page.get_by_text("Red flag review recorded.")).to_be_visible()
    page.get_by_role("button", name="Accept the intake").click()
    expect(page.get_by_text("Intake accepted: Beatriz Costa is active")).to_be_visible()
    assert console_errors == []
