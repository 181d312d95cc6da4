"""In a real Chromium: the dashboard draws the "Phase flow over time" chart (a non-blank
canvas) with its table; selecting a bar, or a number in the table, opens the list of the
patients it counts; no console errors and no serious axe findings."""

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import log_in, serious_violations
from tests.dashboard.test_browser_time_to_phase import BLANK
from tests.dashboard.test_phase_flow import build_clinic, monday

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]

# The centre of the phase 2 bar of the week three weeks ago (the fourth week drawn).
BAR = """() => {
  const chart = window.Chart.getChart("phase-flow-chart");
  const phase2 = chart.data.datasets.findIndex((dataset) => dataset.phase === 2);
  const bar = chart.getDatasetMeta(phase2).data[3];
  const props = bar.getProps(["x", "y", "base"], true);
  return {x: props.x, y: (props.y + props.base) / 2};
}"""


def open_as(page, live_server, user):
    user.set_password("pw-for-the-browser")
    user.save()
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, live_server.url, user.username, "pw-for-the-browser")


def test_the_phase_flow_chart_and_its_drill_down(
    live_server, page, practitioner, second_practitioner, console_errors
):
    build_clinic(practitioner, second_practitioner)
    open_as(page, live_server, practitioner)
    expect(page.get_by_role("heading", name="Phase flow over time", exact=True)).to_be_visible()
    page.wait_for_function("document.documentElement.dataset.flowDrawn === 'true'")
    drawn = page.evaluate(BLANK, "phase-flow-chart")
    assert drawn["width"] > 100 and not drawn["same"] and drawn["coloured"] > 1000

    table = page.locator("#phase-flow-table")
    expect(table).to_be_hidden()
    page.locator("#phase-flow summary").first.focus()
    page.keyboard.press("Enter")  # the "Show table" toggle, from the keyboard
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(7)
    assert serious_violations(page) == []

    bar = page.evaluate(BAR)
    page.locator("#phase-flow-chart").click(position=bar)
    week = monday(3).isoformat()
    expect(page).to_have_url(f"{live_server.url}/phase-week/?phase=2&week={week}")
    expect(page.locator("#phase-week-patients tbody tr")).to_have_count(2)
    expect(page.locator("#phase-week-patients")).to_contain_text("Ada")
    assert serious_violations(page) == []

    page.get_by_role("link", name="Back to the dashboard").click()
    page.get_by_role("link", name="My patients").click()
    page.locator("#phase-flow summary").first.click()
    page.locator("#phase-flow-table tbody tr").nth(3).get_by_role("link").first.click()
    expect(page).to_have_url(f"{live_server.url}/phase-week/?phase=1&week={week}&mine=1")
    expect(page.locator("#phase-week-patients tbody tr")).to_have_count(1)
    assert console_errors == []
