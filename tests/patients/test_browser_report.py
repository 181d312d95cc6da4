"""In a real Chromium: the progress report on screen, with its charts drawn on the server;
axe finds nothing serious, the Print button opens the browser's print, which has the
patient's name and the page number on every page, the checkbox leaves the tables out, and
Back goes to the progress page; no console errors."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser_helpers import serious_violations
from tests.factories import PASSWORD
from tests.progress_helpers import report_url

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]


@pytest.fixture
def ana(browser_db, request):
    """Four weeks of Ana's history (tests/patients/conftest.py), made after the roles."""
    return request.getfixturevalue("history")


def test_the_report_on_screen(live_server, page, ana, console_errors):
    page.goto(live_server.url + report_url(ana))
    page.get_by_label("Username").fill("lin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")

    expect(page.get_by_role("heading", name="Progress report")).to_be_visible()
    for chart in ("Average pain and pain before", "PEG, PSFS and movement confidence"):
        box = page.get_by_role("img", name=chart).bounding_box()
        assert box["width"] > 600 and box["height"] > 200  # readable, not squashed
    expect(page.locator("#readings-table")).to_be_visible()
    assert serious_violations(page) == []

    page.evaluate("window.print = () => { document.documentElement.dataset.printed = 'yes'; }")
    page.get_by_role("button", name="Print").click()
    expect(page.locator("html")).to_have_attribute("data-printed", "yes")

    # What the browser prints: the name and page number on every page of the tables too.
    page.emulate_media(media="print")
    printed = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True))).pages
    assert len(printed) > 2
    for number, sheet in enumerate(printed, start=1):
        text = sheet.extract_text()
        assert "Ana Silva, born 17 May 1970" in text
        assert f"Page {number} of {len(printed)}" in text
    page.emulate_media(media="screen")

    page.get_by_label("Include the tables").uncheck()
    page.get_by_role("button", name="Update").click()
    expect(page).to_have_url(live_server.url + report_url(ana) + "?appendix=0")
    expect(page.locator("#readings-table")).to_have_count(0)
    expect(page.get_by_role("link", name="Download PDF")).to_have_attribute(
        "href", f"/patients/{ana.uuid}/report.pdf?appendix=0"
    )
    assert serious_violations(page) == []

    page.get_by_role("link", name="Back to progress").click()
    expect(page.get_by_role("heading", name="Progress of Ana Silva")).to_be_visible()
    assert console_errors == []
