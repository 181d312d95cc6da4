"""In a real Chromium: the dashboard draws the three "Outcomes by week of care" charts
(non-blank canvases) with their tables, the body-region filter changes them and keeps the
period, the CSV downloads, and there are no console errors and no serious axe findings."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import log_in, serious_violations
from tests.dashboard.test_browser_time_to_phase import BLANK
from tests.dashboard.test_outcome_curves import build_clinic

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]

CHARTS = ["pain_reduction", "psfs_change", "active_150"]


def test_the_outcome_curves(live_server, page, practitioner, second_practitioner, console_errors):
    build_clinic(practitioner, second_practitioner)
    practitioner.set_password("pw-for-the-browser")
    practitioner.save()
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, live_server.url, practitioner.username, "pw-for-the-browser")
    expect(page.get_by_role("heading", name="Outcomes by week of care")).to_be_visible()
    page.wait_for_function("document.documentElement.dataset.outcomesDrawn === 'true'")
    for field in CHARTS:
        drawn = page.evaluate(BLANK, f"outcome-{field}")
        assert drawn["width"] > 100 and not drawn["same"] and drawn["coloured"] > 1000

    table = page.locator("#outcome-pain_reduction-table")
    expect(table).to_be_hidden()
    page.locator("#outcomes-by-week summary").first.focus()
    page.keyboard.press("Enter")  # the "Show table" toggle, from the keyboard
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(page.locator("#outcome-pain_reduction-thin")).to_have_text(
        "Not drawn (fewer than 5 patients): week 2."
    )
    assert serious_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the outcome curves' numbers (CSV)").click()
    assert download.value.suggested_filename.startswith("outcomes-by-week-clinic-all-time-")
    rows = list(csv.reader(io.StringIO(open(download.value.path()).read())))  # noqa: SIM115
    assert rows[1] == ["pain_reduction", "All patients", "1", "5", "50.0", "25.0", "50.0", ""]

    page.get_by_role("link", name="Last 6 months").click()
    page.get_by_label("Body region (intake's pain map)").select_option(label="Knees")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{live_server.url}/?months=6&region=knees#charts")
    expect(page.locator("#outcomes-by-week-empty")).to_contain_text("with pain in the knees")
    expect(page.get_by_label("Body region (intake's pain map)")).to_have_value("knees")
    assert serious_violations(page) == []
    assert console_errors == []
