"""The progress page: the charts' data, the summary against baseline (IMMPACT categories,
CLINICAL.md section 1), treatment totals, the edge cases of a short history, and a query
count that does not grow with the history. The report has its own (test_report.py)."""

import pytest

from tests.factories import CheckInFactory, StartedCourseFactory
from tests.html import page_text, progress_data, section_table, summary_value
from tests.progress_helpers import day, days_ago, progress_url, today
from tests.session_factories import AdverseEventFactory, SessionOnDateFactory, course_history


def iso(n):
    """The date n days ago as the chart data writes it (computed per test: no stale day)."""
    return days_ago(n).isoformat()


def point(n, value, source):
    """A reading as the chart data carries it: its date, and the date as the page writes it."""
    return {"date": iso(n), "label": day(days_ago(n)), "value": value, "source": source}


def band(phase, label, first, last):
    """A phase band from `first` to `last` days ago, with both days as the page writes them."""
    return {
        "phase": phase, "label": label, "from": iso(first), "to": iso(last),
        "from_label": day(days_ago(first)), "to_label": day(days_ago(last)),
    }  # fmt: skip


# The charts' data


def test_the_chart_data_has_the_baseline_and_the_30_and_50_per_cent_lines(
    practitioner_client, history
):
    chart = progress_data(practitioner_client.get(progress_url(history)))
    assert chart["baseline"] == 8.0
    assert chart["lines"] == {"p30": 5.6, "p50": 4.0}


def test_the_chart_data_has_every_series_with_its_dates_and_sources(practitioner_client, history):
    series = progress_data(practitioner_client.get(progress_url(history)))["series"]
    assert series == {
        "pain_average": [
            point(28, 8.0, "intake"),
            point(21, 6.0, "checkin"),
            point(14, 5.0, "checkin"),
            point(7, 4.0, "checkin"),
        ],
        "peg": [
            point(28, 7.0, "intake"),
            point(21, 6.33, "checkin"),
            point(14, 5.67, "checkin"),
            point(7, 4.67, "checkin"),
        ],
        "psfs": [
            point(28, 3.0, "intake"),
            point(21, 4.0, "checkin"),
            point(14, 5.33, "checkin"),
            point(7, 6.0, "checkin"),
        ],
        "confidence": [
            point(28, 3.0, "intake"),
            point(21, 4.0, "checkin"),
            point(14, 6.0, "checkin"),
            point(7, 7.0, "checkin"),
        ],
        "active_minutes": [
            point(28, 60.0, "intake"),
            point(21, 90.0, "checkin"),
            point(14, 120.0, "checkin"),
            point(7, 150.0, "checkin"),
        ],
        "session_pain_before": [point(27, 7.0, "session"), point(13, 5.0, "session")],
        "session_pain_after": [point(27, 4.0, "session"), point(13, 2.0, "session")],
    }


def test_the_chart_data_has_each_phase_as_a_band_from_its_first_day_to_the_next(
    practitioner_client, history
):
    chart = progress_data(practitioner_client.get(progress_url(history)))
    assert chart["phases"] == [
        band(1, "Calm things down", 28, 13),
        band(2, "Build confidence in movement", 13, 0),
    ]


def test_the_tables_beside_the_charts_hold_the_same_values(practitioner_client, history):
    response = practitioner_client.get(progress_url(history))
    assert "baseline 8, 30 % better is 5.6, 50 % better is 4.0" in page_text(response)
    d = {n: day(days_ago(n)) for n in (28, 27, 21, 14, 13, 7)}
    assert section_table(response, "pain-heading") == [
        [d[28], "Intake", "8", "", ""],
        [d[27], "Session", "", "7", "4"],
        [d[21], "Check-in", "6", "", ""],
        [d[14], "Check-in", "5", "", ""],
        [d[13], "Session", "", "5", "2"],
        [d[7], "Check-in", "4", "", ""],
    ]
    assert section_table(response, "function-heading") == [
        [d[28], "7.0 pain 8 · enjoyment 7 · activity 6", "3.0", "3"],
        [d[21], "6.3", "4.0", "4"],
        [d[14], "5.7", "5.3", "6"],
        [d[7], "4.7", "6.0", "7"],
    ]
    assert section_table(response, "activity-heading") == [
        [d[28], "60"],
        [d[21], "90"],
        [d[14], "120"],
        [d[7], "150"],
    ]


# The summary


def test_the_summary_shows_the_change_since_baseline_and_the_responder_category(
    practitioner_client, history
):
    response = practitioner_client.get(progress_url(history))
    assert summary_value(response, "Average pain") == f"baseline 8, latest 4 ({day(days_ago(7))})"
    assert summary_value(response, "Change since baseline") == (
        "4 points, 50 % better: substantial (IMMPACT categories)"
    )
    assert summary_value(response, "Phase") == (
        f"2. Build confidence in movement, for 13 days (since {day(days_ago(13))})"
    )


@pytest.mark.parametrize(
    ("baseline", "latest", "shown"),
    [
        (8, 5, "3 points, 38 % better: moderate"),
        (10, 8, "2 points, 20 % better: minimal"),
        (8, 8, "0 points, 0 % better: no change"),
        (6, 8, "2 points, 33 % worse: worse"),
    ],
)
def test_the_summary_names_the_responder_category(
    practitioner_client, practitioner, patient, baseline, latest, shown
):
    StartedCourseFactory(
        patient=patient, accepted_by=practitioner, on=days_ago(14), baseline__pain_average=baseline
    )
    CheckInFactory(patient=patient, taken_on=days_ago(7), pain_average=latest)
    response = practitioner_client.get(progress_url(patient))
    assert summary_value(response, "Change since baseline") == f"{shown} (IMMPACT categories)"


def test_a_baseline_of_0_shows_the_change_in_points_and_worse_without_a_per_cent(
    practitioner_client, practitioner, patient
):
    StartedCourseFactory(
        patient=patient, accepted_by=practitioner, on=days_ago(14), baseline__pain_average=0
    )
    CheckInFactory(patient=patient, taken_on=days_ago(7), pain_average=2)
    response = practitioner_client.get(progress_url(patient))
    assert response.status_code == 200
    shown = summary_value(response, "Change since baseline")
    assert shown == (
        "2 points worse (no per cent from a baseline of 0): worse (IMMPACT categories)"
    )


def test_the_summary_counts_sessions_needles_with_bilateral_as_two_and_adverse_events(
    practitioner_client, history
):
    response = practitioner_client.get(progress_url(history))
    assert summary_value(response, "Sessions") == "2 sessions, 6 needles, 1 adverse event"
    assert response.context["totals"] == {"sessions": 2, "needles": 6, "adverse_events": 1}


def test_the_summary_counts_every_adverse_event_of_a_session(
    practitioner_client, practitioner, patient
):
    StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(7))
    session = SessionOnDateFactory(
        patient=patient,
        practitioner=practitioner,
        on=days_ago(6),
        points=[("ST36", "R"), ("ST36", "L")],
    )
    AdverseEventFactory(session=session)
    AdverseEventFactory(session=session, description="Felt faint for a minute.")
    response = practitioner_client.get(progress_url(patient))
    assert summary_value(response, "Sessions") == "1 session, 2 needles, 2 adverse events"


# Short histories must not break the page


def test_a_patient_with_no_readings_gets_a_page_that_says_so(practitioner_client, patient):
    response = practitioner_client.get(progress_url(patient))
    assert response.status_code == 200
    assert summary_value(response, "Phase") == (
        "Not started: the course starts when the intake is accepted"
    )
    assert "No readings yet: they come from the intake, check-ins and sessions." in (
        page_text(response)
    )
    chart = progress_data(response)
    assert chart["baseline"] is None and chart["phases"] == []


def test_a_patient_with_only_an_intake_sees_the_baseline_and_no_change_yet(
    practitioner_client, practitioner, patient
):
    StartedCourseFactory(patient=patient, accepted_by=practitioner)
    response = practitioner_client.get(progress_url(patient))
    assert response.status_code == 200
    assert summary_value(response, "Phase") == (
        f"1. Calm things down, for 0 days (since {day(today())})"
    )
    assert summary_value(response, "Average pain") == "baseline 8"
    assert "Change since baseline" not in page_text(response)
    assert summary_value(response, "Sessions") == "0 sessions, 0 needles, 0 adverse events"
    chart = progress_data(response)
    assert chart["series"]["pain_average"] == [point(0, 8.0, "intake")]
    assert chart["series"]["session_pain_before"] == []
    assert chart["phases"] == [band(1, "Calm things down", 0, 0)]


def test_readings_all_on_one_day_give_one_row_a_source_and_a_change(
    practitioner_client, practitioner, patient
):
    StartedCourseFactory(patient=patient, accepted_by=practitioner)
    CheckInFactory(patient=patient, taken_on=today(), pain_average=6)
    SessionOnDateFactory(
        patient=patient, practitioner=practitioner, on=today(), pain_before=6, pain_after=2
    )
    response = practitioner_client.get(progress_url(patient))
    assert response.status_code == 200
    assert summary_value(response, "Change since baseline") == (
        "2 points, 25 % better: minimal (IMMPACT categories)"
    )
    assert [row["source"] for row in response.context["pain_rows"]] == [
        "intake",
        "checkin",
        "session",
    ]
    series = progress_data(response)["series"]
    assert series["pain_average"] == [point(0, 8.0, "intake"), point(0, 6.0, "checkin")]
    assert {p["date"] for values in series.values() for p in values} == {iso(0)}


def test_an_intake_without_an_average_pain_has_no_baseline_lines(
    practitioner_client, practitioner, patient
):
    StartedCourseFactory(
        patient=patient, accepted_by=practitioner, on=days_ago(7), baseline__pain_average=None
    )
    CheckInFactory(patient=patient, taken_on=days_ago(1), pain_average=5)
    response = practitioner_client.get(progress_url(patient))
    assert response.status_code == 200
    assert summary_value(response, "Average pain") == "no baseline yet"
    chart = progress_data(response)
    assert chart["baseline"] is None
    assert chart["lines"] == {"p30": None, "p50": None}


# Queries


@pytest.mark.parametrize(("checkins", "sessions"), [(3, 2), (30, 20)])
def test_the_progress_page_makes_the_same_queries_whatever_the_length_of_the_history(
    practitioner_client, practitioner, patient, django_assert_num_queries, checkins, sessions
):
    course_history(patient, practitioner, checkins, sessions)
    # 1 the session, 2 the user, 3 permissions, 4 the patient with practitioner, profile
    # and summary (sessions, needles, adverse events), 5 the audit event (insert), 6 the
    # phase changes with who made them, 7 the readings, 8 the open suggestion.
    with django_assert_num_queries(8):
        response = practitioner_client.get(progress_url(patient))
    assert response.status_code == 200
    assert len(progress_data(response)["series"]["pain_average"]) == checkins + 1
