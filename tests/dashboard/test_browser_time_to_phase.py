"""In a real Chromium: the dashboard draws the "Time to each phase" charts (non-blank
canvases) with their tables, the period filter changes them, the CSV downloads, and there
are no console errors and no serious axe findings."""

import csv
import io

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import log_in, serious_violations
from tests.dashboard.test_time_to_phase import build_clinic

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]

# A canvas of the same size with nothing drawn on it, compared with the chart's pixels.
BLANK = """(id) => {
  const canvas = document.getElementById(id);
  const blank = document.createElement("canvas");
  blank.width = canvas.width;
  blank.height = canvas.height;
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  const coloured = pixels.filter((value, index) => index % 4 === 3 && value > 0).length;
  return {same: canvas.toDataURL() === blank.toDataURL(), coloured, width: canvas.width};
}"""


def test_the_time_to_phase_charts(
    live_server, page, practitioner, second_practitioner, console_errors
):
    build_clinic(practitioner, second_practitioner)
    practitioner.set_password("pw-for-the-browser")
    practitioner.save()
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, live_server.url, practitioner.username, "pw-for-the-browser")
    expect(page.get_by_role("heading", name="Time to each phase", exact=True)).to_be_visible()
    page.wait_for_function("document.documentElement.dataset.chartsDrawn === 'true'")
    for axis in ("weeks", "sessions"):
        drawn = page.evaluate(BLANK, f"time-to-phase-{axis}")
        assert drawn["width"] > 100 and not drawn["same"] and drawn["coloured"] > 1000

    table = page.locator("#time-to-phase-weeks-table")
    expect(table).to_be_hidden()
    page.locator("#time-to-phase summary").first.focus()
    page.keyboard.press("Enter")  # the "Show table" toggle, from the keyboard
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(4 + 5)
    expect(page.locator("#time-to-phase-medians")).to_contain_text("2 weeks since intake")
    assert serious_violations(page) == []

    page.get_by_role("navigation", name="Period").get_by_role("link", name="Last 3 months").click()
    expect(page).to_have_url(f"{live_server.url}/?months=3#charts")
    expect(page.locator("#time-to-phase-patients")).to_have_text("3")
    page.wait_for_function("document.documentElement.dataset.chartsDrawn === 'true'")
    assert not page.evaluate(BLANK, "time-to-phase-weeks")["same"]

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the charts' numbers (CSV)").click()
    assert download.value.suggested_filename.startswith("time-to-phase-clinic-3-months-")
    rows = list(csv.reader(io.StringIO(open(download.value.path()).read())))  # noqa: SIM115
    assert rows[1:3] == [
        ["weeks since intake", "2", "0", "3", "0", "1", "0.0"],
        ["weeks since intake", "2", "3", "2", "1", "1", "50.0"],
    ]

    page.get_by_role("link", name="Last 12 months").click()
    page.get_by_role("link", name="My patients").click()
    expect(page).to_have_url(f"{live_server.url}/?mine=1&months=12")
    expect(page.locator("#time-to-phase-patients")).to_have_text("4")
    assert serious_violations(page) == []
    assert console_errors == []
