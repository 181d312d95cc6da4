"""The progress charts made readable (issue 15, item 5), as the page hands them over: dates
written the clinic's way in the chart data, the sessions' pain apart from the weekly
average, a legend for the phase bands, and the PEG's items explained and shown by name.
(The drawing itself, in a real browser: test_browser_progress.py.)"""

import re
from datetime import date

from patients.progress import change_phase
from tests.factories import CheckInFactory, StartedCourseFactory
from tests.html import html, page_text, progress_data, section_table, text
from tests.progress_helpers import day, days_ago, progress_url
from tests.session_factories import SessionOnDateFactory


def legend(response):
    """The phase legend's items above the first chart, as a reader reads them."""
    fragment = html(response).split('<ul class="phase-legend"')[1].split("</ul>")[0]
    return [text(item) for item in fragment.split("<li>")[1:]]


# Dates


def test_every_point_carries_its_date_as_the_pages_write_it(practitioner_client, history):
    series = progress_data(practitioner_client.get(progress_url(history)))["series"]
    for measure, points in series.items():
        for p in points:
            assert p["label"] == day(date.fromisoformat(p["date"])), measure
    assert series["pain_average"][0]["label"] == day(days_ago(28))  # e.g. "4 Nov 2026"


def test_each_band_carries_its_first_and_last_day_as_the_pages_write_them(
    practitioner_client, history
):
    phases = progress_data(practitioner_client.get(progress_url(history)))["phases"]
    assert [(b["from_label"], b["to_label"]) for b in phases] == [
        (day(days_ago(28)), day(days_ago(13))),
        (day(days_ago(13)), day(days_ago(0))),
    ]


def test_the_axis_dates_follow_the_clinics_language(practitioner_client, history, settings):
    assert progress_data(practitioner_client.get(progress_url(history)))["locale"] == "en-gb"
    settings.LANGUAGE_CODE = "en-us"
    assert progress_data(practitioner_client.get(progress_url(history)))["locale"] == "en-us"


# The weekly average and the sessions' pain, apart


def test_the_weekly_average_and_the_sessions_pain_are_separate_series(practitioner_client, history):
    series = progress_data(practitioner_client.get(progress_url(history)))["series"]
    assert {p["source"] for p in series["pain_average"]} == {"intake", "checkin"}
    assert {p["source"] for p in series["session_pain_before"]} == {"session"}
    assert {p["source"] for p in series["session_pain_after"]} == {"session"}


def test_the_30_and_50_per_cent_lines_are_said_to_be_for_the_weekly_average(
    practitioner_client, history
):
    response = practitioner_client.get(progress_url(history))
    assert (
        "baseline 8, 30 % better is 5.6, 50 % better is 4.0 (lines for the average of the past "
        "week)"
    ) in page_text(response)


def test_the_sessions_pain_can_be_hidden_when_there_is_some(practitioner_client, history):
    page = html(practitioner_client.get(progress_url(history)))
    assert 'id="show-session-pain"' in page
    assert '<label class="form-check-label small" for="show-session-pain">' in page


def test_no_session_toggle_without_sessions(practitioner_client, practitioner, patient):
    StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(14))
    CheckInFactory(patient=patient, taken_on=days_ago(7), pain_average=6)
    assert 'id="show-session-pain"' not in html(practitioner_client.get(progress_url(patient)))


# The phase bands' legend


def test_the_legend_names_each_phase_drawn_once_in_order(practitioner_client, history):
    response = practitioner_client.get(progress_url(history))
    assert legend(response) == ["1 Calm things down", "2 Build confidence in movement"]
    assert html(response).count('<ul class="phase-legend"') == 3  # one above each chart
    assert 'class="phase-swatch phase-swatch-2"' in html(response)


def test_a_phase_that_returns_is_named_once(practitioner_client, practitioner, patient):
    StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(30))
    change_phase(patient, 2, days_ago(20), practitioner)
    change_phase(patient, 1, days_ago(10), practitioner, reason="Flare-up")
    change_phase(patient, 3, days_ago(5), practitioner)
    response = practitioner_client.get(progress_url(patient))
    assert len(progress_data(response)["phases"]) == 4
    assert legend(response) == [
        "1 Calm things down",
        "2 Build confidence in movement",
        "3 Move more",
    ]


def test_no_legend_before_the_course_starts(practitioner_client, practitioner, patient):
    SessionOnDateFactory(patient=patient, practitioner=practitioner, on=days_ago(1))
    response = practitioner_client.get(progress_url(patient))
    assert response.status_code == 200
    assert "phase-legend" not in html(response)


# PEG


def test_the_peg_items_are_explained_beside_the_chart_and_in_the_table(
    practitioner_client, history
):
    response = practitioner_client.get(progress_url(history))
    page = page_text(response)
    assert (
        "PEG: pain, enjoyment of life, general activity, each 0-10, and their mean; lower is "
        "better."
    ) in page
    section = html(response).split('id="function-heading"')[1].split("</section>")[0]
    header = section.split("<thead>")[1].split("</thead>")[0]
    assert [text(cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", header)] == [
        "Date",
        "PEG (lower is better) pain · enjoyment · activity",
        "PSFS (higher is better)",
        "Movement confidence (clinic measure, higher is better)",
    ]


def test_a_checkins_peg_shows_its_items_by_name(practitioner_client, practitioner, patient):
    StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(14))
    CheckInFactory(
        patient=patient, taken_on=days_ago(7), pain_average=3, enjoyment=2, activity=4,
        peg="3.00", psfs="5.00", confidence=6,
    )  # fmt: skip
    rows = section_table(practitioner_client.get(progress_url(patient)), "function-heading")
    assert rows[-1] == [day(days_ago(7)), "3.0 pain 3 · enjoyment 2 · activity 4", "5.0", "6"]
