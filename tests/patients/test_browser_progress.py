"""In a real Chromium: the dashboard shows the patients per phase with working links, a
progress page draws its charts with phase bands, a suggestion is accepted, and the report
prints; no console errors, and axe finds nothing serious."""

import re
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import Count
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
    # A suggestion to move on, waiting for an active patient in phase 2 (whether the demo's
    # courses leave one waiting depends on its random courses; the rules' own tests are
    # elsewhere).
    patient = Patient.objects.filter(status="active", summary__phase=2).first()
    PhaseSuggestion.objects.filter(patient=patient, status="open").update(status="lapsed")
    PhaseSuggestion.objects.create(
        patient=patient, kind="phase_3", to_phase=3, evidence=[], evidence_through=date.today(),
        reason="Movement confidence was 7 in the latest check-in: consider moving to phase 3.",
    )  # fmt: skip
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
    page.emulate_media(media="print")
    expect(page.get_by_text("progress report")).to_be_visible()
    assert page.pdf(format="A4")[:4] == b"%PDF"
    assert console_errors == []


# The charts made readable (issue 15, item 5), at the three widths the clinic uses

# Every string drawn on a canvas, recorded before the page's scripts run.
RECORD_CANVAS_TEXT = """
window.canvasTexts = [];
const fillText = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
  window.canvasTexts.push(String(text));
  return fillText.call(this, text, ...rest);
};
"""
PHASE_NAMES = ["Calm things down", "Build confidence in movement", "Move more"]
DAY_ON_AXIS = r"^(\d{1,2} [A-Z][a-z]{2}|[A-Z][a-z]{2} \d{4})$"  # "25 Nov", or "Nov 2025"


def overlap(a, b):
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def chart_value(page, chart, expression):
    """`expression` about the Chart.js chart on canvas #chart (named `c`), in the page."""
    return page.evaluate(
        f"(() => {{ const c = Chart.getChart('{chart}'); return {expression}; }})()"
    )


@pytest.mark.parametrize("size", [(1440, 900), (1024, 1366), (390, 844)], ids=str)
def test_the_progress_charts_are_readable(live_server, page, demo_clinic, console_errors, size):
    patient = Patient.objects.annotate(n=Count("readings")).order_by("-n").first()
    phases = sorted(set(patient.phase_changes.values_list("phase", flat=True)))
    assert len(phases) == 3  # the demo's longest course has been through all three
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.add_init_script(RECORD_CANVAS_TEXT)
    log_in(page, live_server)
    page.goto(f"{live_server.url}/patients/{patient.uuid}/progress/")
    page.wait_for_function("document.documentElement.dataset.chartsDrawn === 'true'")

    # The phases: a legend of swatches above each chart, its items side by side or wrapped,
    # never over one another, and no phase name drawn on the canvas.
    for legend in page.locator(".phase-legend").all():
        items = legend.locator("li").all()
        assert [item.inner_text() for item in items] == [
            f"{n} {PHASE_NAMES[n - 1]}" for n in phases
        ]
        boxes = [item.bounding_box() for item in items]
        assert all(box["width"] > 0 for box in boxes)
        assert not any(overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    drawn = page.evaluate("window.canvasTexts")
    assert "Average pain, past week" in drawn  # the canvas text is recorded...
    assert not [t for t in drawn if any(name in t for name in PHASE_NAMES)]  # ...no phase

    # Each chart clear of its legend above and its table beside or below.
    for section in page.locator(".chart-section").all():
        legend = section.locator(".phase-legend").bounding_box()
        chart = section.locator(".chart-box").bounding_box()
        table = section.locator(".chart-table").bounding_box()
        assert legend["y"] + legend["height"] <= chart["y"]
        assert not overlap(chart, table)

    # Pain: the weekly average, its lines, and the sessions' pain as series of their own.
    legend_items = chart_value(page, "pain-chart", "c.legend.legendItems.map((i) => i.text)")
    assert legend_items == [
        "Average pain, past week",
        "Session: pain before",
        "Session: pain after",
        "Baseline (intake)",
        "Average 30 % below baseline",
        "Average 50 % below baseline",
    ]

    # Dates: "25 Nov" (or "Nov 2025" over a long course) on the axis, the page's own in
    # the tooltip.
    for chart in ("pain-chart", "function-chart", "activity-chart"):
        ticks = chart_value(page, chart, "c.scales.x.ticks.map((t) => t.label)")
        assert ticks and all(re.match(DAY_ON_AXIS, tick) for tick in ticks), ticks
    first = chart_value(page, "pain-chart", "c.data.datasets[0].data[1]")
    title = chart_value(
        page,
        "pain-chart",
        "(c.tooltip.setActiveElements([{datasetIndex: 0, index: 1}], {x: 0, y: 0}),"
        " c.update(), c.tooltip.title)",
    )
    assert title == [first["label"]] and re.match(r"^\d{1,2} [A-Z][a-z]{2} \d{4}$", title[0])

    # The sessions' pain hides and shows again from the keyboard.
    page.locator("#show-session-pain").focus()
    page.keyboard.press("Space")
    assert chart_value(
        page, "pain-chart", "[c.isDatasetVisible(0), c.isDatasetVisible(1), c.isDatasetVisible(2)]"
    ) == [True, False, False]
    page.keyboard.press("Space")
    assert chart_value(page, "pain-chart", "c.isDatasetVisible(1) && c.isDatasetVisible(2)")

    assert serious_violations(page) == []
    assert console_errors == []
