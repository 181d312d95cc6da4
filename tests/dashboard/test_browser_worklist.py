"""In a real Chromium: the worklist from the menu, its lists, a click to a draft's page, and
no serious axe findings or console errors."""

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import log_in, serious_violations
from tests.dashboard.test_worklist import work  # noqa: F401 (the fixture)
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]


def test_the_worklist(live_server, page, practitioner, work, console_errors):  # noqa: F811
    page.set_viewport_size({"width": 1024, "height": 768})  # a tablet
    log_in(page, live_server.url, practitioner.username, PASSWORD)
    page.get_by_role("link", name="Worklist").click()
    expect(page.get_by_role("heading", name="My worklist")).to_be_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Ada Lin,").first.click()
    expect(page).to_have_url(f"{live_server.url}{work['draft'].get_absolute_url()}edit/")
    assert console_errors == []
