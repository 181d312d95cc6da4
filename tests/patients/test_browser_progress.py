"""In a real Chromium: the dashboard shows the patients per phase with working links, a
progress page draws its charts with phase bands, a suggestion is accepted, and the report
prints; no console errors, and axe finds nothing serious."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from patients.models import Patient, PhaseSuggestion
from tests.browser_helpers import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("browser_db")]


@pytest.fixture
def demo_clinic(settings):
    settings.DEBUG = True  # seed_demo runs only in debug mode
    call_command("seed_demo", patients=40, stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.DEBUG = False


def log_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("lin")
    page.get_by_label("Password").fill("demo-clinic-2026")
    page.get_by_label("Password").press("Enter")


def test_the_dashboard_and_a_progress_page_on_the_demo_data(
    live_server, page, demo_clinic, console_errors
):
    log_in(page, live_server)
    expect(page.get_by_role("heading", name="Active patients by phase of care")).to_be_visible()
    assert serious_violations(page) == []
    counts = [int(page.locator(f".phase-card-{n} .display-6").inner_text()) for n in (1, 2, 3)]
    assert all(count > 0 for count in counts)  # the demo spreads patients across the phases

    page.locator(".phase-card-2").click()
    expect(page.locator("#result-count")).to_contain_text(f"{counts[1]} patient")
    suggested = PhaseSuggestion.objects.filter(status="open", to_phase=3).first()
    patient = suggested.patient
    page.goto(f"{live_server.url}/patients/{patient.uuid}/progress/")
    expect(page.get_by_role("heading", name=f"Progress of {patient.full_name}")).to_be_visible()
    page.wait_for_function("document.documentElement.dataset.chartsDrawn === 'true'")
    for chart in ("pain-chart", "function-chart", "activity-chart"):
        box = page.locator(f"#{chart}").bounding_box()
        assert box["width"] > 100 and box["height"] > 100
    assert serious_violations(page) == []

    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Suggestion accepted.")).to_be_visible()
    expect(page.get_by_text("3. Move more, for 0 days")).to_be_visible()
    assert Patient.objects.get(pk=patient.pk).summary.phase == 3

    page.get_by_role("link", name="Printable report").click()
    page.wait_for_function("document.documentElement.dataset.chartsDrawn === 'true'")
    page.emulate_media(media="print")
    expect(page.get_by_text("progress report")).to_be_visible()
    assert page.pdf(format="A4")[:4] == b"%PDF"
    assert console_errors == []
