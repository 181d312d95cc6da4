"""Suggesting a change of phase (CLINICAL.md section 1), pure rules over plain readings:
phase 1 to 2 when pain is calm enough, and a flare review back to phase 1. Every test passes
the default thresholds explicitly (tests/rule_helpers.py). (Phase 3 and discharge:
test_rules_phase_3_and_discharge.py; the sentences they write:
test_suggestion_sentences.py.)"""

import pytest

from patients.rules import Course, Reading, suggest
from tests.rule_helpers import DEFAULTS, course, intake_pain, intake_psfs, on, pain, reading

# Phase 1 -> 2: the last two average-pain readings, 30 % or 2 points below baseline.


@pytest.mark.parametrize(
    ("baseline", "readings"),
    [
        ("5", [(5, "3.5"), (6, "3.5")]),
        ("6", [(5, "4.2"), (6, "4.2")]),
        ("8", [(5, "6"), (6, "6")]),
        ("7", [(5, "4"), (6, "3")]),
        ("8", [(5, "7"), (6, "4"), (7, "4")]),
        ("8", [(20, "4"), (5, "8"), (15, "4")]),
        ("8", [(10, "7"), (10, "4"), (11, "4")]),
    ],
    ids=[
        "exactly_on_30_percent_though_only_1_5_points",
        "exactly_on_30_percent_though_only_1_8_points",
        "exactly_2_points_below_though_only_25_percent",
        "well_below_both",
        "the_two_most_recent_of_three",
        "out_of_order_in_the_tuple_sorted_by_date",
        "same_day_readings_kept_in_tuple_order",
    ],
)
def test_it_suggests_phase_2_when_the_last_two_readings_are_calm_enough(baseline, readings):
    pains = [pain(day, value) for day, value in readings]
    result = suggest(course(1, *pains, baseline=intake_pain(baseline)), DEFAULTS)
    assert (result.kind, result.to_phase) == ("phase_2", 2)


@pytest.mark.parametrize(
    ("baseline", "readings"),
    [
        (None, [(5, "4"), (6, "4")]),
        ("7", [(5, "4")]),
        ("5", [(5, "3.5"), (6, "3.6")]),
        ("8", [(5, "6"), (6, "7")]),
        ("8", [(5, "7"), (6, "4")]),
        ("8", [(20, "7"), (5, "4"), (15, "4")]),
        ("8", [(10, "4"), (10, "7"), (11, "4")]),
        ("6", [(5, "8"), (6, "9")]),
        ("0", [(5, "0"), (6, "0")]),
    ],
    ids=[
        "no_baseline",
        "one_reading_only",
        "just_under_30_percent_and_under_2_points",
        "the_latest_not_enough",
        "the_older_of_the_two_not_enough",
        "out_of_order_in_the_tuple_and_the_latest_by_date_not_enough",
        "same_day_readings_kept_in_tuple_order_and_the_later_not_enough",
        "the_patient_gets_worse_in_phase_1",
        "a_baseline_of_zero",
    ],
)
def test_it_suggests_nothing_in_phase_1_when(baseline, readings):
    base = intake_pain(baseline) if baseline is not None else None
    pains = [pain(day, value) for day, value in readings]
    assert suggest(course(1, *pains, baseline=base), DEFAULTS) is None


def test_phase_2_shows_the_baseline_and_the_two_triggering_readings_as_evidence():
    baseline, old, first, second = intake_pain("8"), pain(3, "8"), pain(5, "5"), pain(9, "5")
    result = suggest(course(1, second, old, first, baseline=baseline), DEFAULTS)
    assert result.evidence == (baseline, first, second)


def test_it_does_not_count_the_baseline_among_the_readings():
    baseline = intake_pain("8")
    assert suggest(course(1, baseline, pain(5, "4"), baseline=baseline), DEFAULTS) is None


def test_it_takes_whole_numbers_as_well_as_decimals():
    readings = (Reading("pain_average", on(5), 4), Reading("pain_average", on(6), 4))
    baseline = Reading("pain_average", on(1), 7, "intake")
    assert suggest(Course(1, None, baseline, None, readings), DEFAULTS).kind == "phase_2"


# Flare-up, phases 2 and 3 only: the last two readings both less than 10 % below baseline.
# The baseline is 10 in every case.


@pytest.mark.parametrize(
    ("phase", "readings"),
    [
        (2, [(12, "9.1"), (13, "9.1")]),
        (2, [(12, "10"), (13, "10")]),
        (3, [(12, "11"), (13, "12")]),
        (3, [(12, "9.5"), (13, "12")]),
        (3, [(12, "6"), (13, "9.5"), (14, "9.5")]),
    ],
    ids=[
        "phase_2_both_9_percent_below",
        "phase_2_both_back_at_baseline",
        "phase_3_both_above_baseline",
        "phase_3_one_slightly_below_and_one_above",
        "phase_3_the_two_most_recent_of_three",
    ],
)
def test_it_suggests_a_flare_review_back_to_phase_1(phase, readings):
    pains = [pain(day, value) for day, value in readings]
    result = suggest(course(phase, *pains, baseline=intake_pain("10")), DEFAULTS)
    assert (result.kind, result.to_phase) == ("flare_review", 1)


@pytest.mark.parametrize(
    ("phase", "readings"),
    [
        (2, [(12, "9"), (13, "9")]),
        (2, [(12, "9.5"), (13, "8")]),
        (3, [(12, "8"), (13, "11")]),
        (3, [(13, "11")]),
        (1, [(12, "11"), (13, "12")]),
    ],
    ids=[
        "exactly_10_percent_below",
        "only_the_older_reading_is_bad",
        "only_the_latest_reading_is_bad",
        "one_reading_only",
        "the_patient_gets_worse_in_phase_1",
    ],
)
def test_it_suggests_no_flare_review_when(phase, readings):
    pains = [pain(day, value) for day, value in readings]
    result = suggest(course(phase, *pains, baseline=intake_pain("10")), DEFAULTS)
    assert result is None


def test_a_flare_outranks_progress_in_phase_3():
    readings = [pain(12, "11"), pain(13, "11"), reading("psfs", 13, "8")]
    readings += [reading("active_minutes", 12, 200), reading("active_minutes", 13, 200)]
    result = suggest(course(3, *readings, baseline=intake_pain("10")), DEFAULTS)
    assert result.kind == "flare_review"


def test_a_flare_outranks_progress_in_phase_2():
    readings = [pain(8, "10"), pain(12, "10"), pain(20, "10"), reading("psfs", 20, "6")]
    readings += [reading("confidence", 20, "8")]
    result = suggest(
        course(2, *readings, baseline=intake_pain("10"), psfs_baseline=intake_psfs("3")),
        DEFAULTS,
    )
    assert result.kind == "flare_review"


def test_a_flare_shows_the_baseline_and_the_two_readings():
    baseline, first, second = intake_pain("7"), pain(12, "7"), pain(13, "8")
    result = suggest(course(2, first, second, baseline=baseline), DEFAULTS)
    assert result.evidence == (baseline, first, second)
