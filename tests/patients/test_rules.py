"""Suggesting a change of phase (CLINICAL.md section 1): pure rules over plain readings.

Every test passes the default thresholds explicitly, so the environment cannot change them;
one test checks that `suggest` falls back to settings.PHASE_RULES.
"""

from datetime import date
from decimal import Decimal

import pytest

from patients.rules import Course, Reading, Suggestion, suggest

DEFAULTS = {
    "calm_percent": 30,
    "calm_points": 2,
    "confidence_level": 7,
    "confidence_rise": 2,
    "psfs_rise": 2,
    "active_minutes": 150,
    "psfs_level": 7,
    "flare_percent": 10,
}
PHASE_2_BEGAN = date(2025, 3, 10)


def on(day):
    """A date in March 2025; phase 2 (when there is one) begins on the 10th."""
    return date(2025, 3, day)


def reading(measure, day, value, source="checkin"):
    value = value if isinstance(value, int) else Decimal(value)
    return Reading(measure, on(day), value, source)


def pain(day, value):
    return reading("pain_average", day, value)


def intake_pain(value):
    return reading("pain_average", 1, value, "intake")


def intake_psfs(value):
    return reading("psfs", 1, value, "intake")


def course(phase, *readings, baseline=None, psfs_baseline=None, started=PHASE_2_BEGAN):
    return Course(phase, started, baseline, psfs_baseline, tuple(readings))


def kind(suggestion):
    return suggestion.kind if suggestion else None


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


def test_phase_2_names_the_30_percent_rule_and_its_numbers():
    result = suggest(course(1, pain(5, "4"), pain(6, "4"), baseline=intake_pain("7")), DEFAULTS)
    assert result.reason == (
        "Average pain 4 and 4 in the last two readings, at least 30 % below the baseline of 7."
    )


def test_phase_2_names_the_2_point_rule_when_only_that_one_is_met():
    result = suggest(course(1, pain(5, "6"), pain(6, "6"), baseline=intake_pain("8")), DEFAULTS)
    assert result.reason == (
        "Average pain 6 and 6 in the last two readings, at least 2 points below the baseline of 8."
    )


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


def test_a_flare_shows_the_baseline_and_the_two_readings_and_says_why():
    baseline, first, second = intake_pain("7"), pain(12, "7"), pain(13, "8")
    result = suggest(course(2, first, second, baseline=baseline), DEFAULTS)
    assert result.evidence == (baseline, first, second)
    assert result.reason == (
        "Average pain 7 and 8 in the last two readings, less than 10 % below the baseline "
        "of 7: review, possibly back to phase 1."
    )


# Phase 2 -> 3: confidence 7 or up 2 since phase 2 began, PSFS up 2 since intake, and pain
# not above its value when phase 2 began. Baseline pain 8, PSFS 3 at intake; phase 2 began on
# the 10th, with pain 5 on the 8th.


def confidence(day, value):
    return reading("confidence", day, value)


def psfs(day, value):
    return reading("psfs", day, value)


def phase_2(*readings, psfs_baseline="3", started=PHASE_2_BEGAN):
    psfs_base = intake_psfs(psfs_baseline) if psfs_baseline else None
    return course(2, *readings, baseline=intake_pain("8"), psfs_baseline=psfs_base, started=started)


ON_TRACK = [pain(8, "5"), pain(20, "5"), psfs(20, "5")]


@pytest.mark.parametrize(
    "readings",
    [
        [confidence(8, "5"), confidence(20, "7"), *ON_TRACK],
        [confidence(8, "4"), confidence(20, "6"), *ON_TRACK],
        [confidence(10, "4"), confidence(20, "6"), *ON_TRACK],
        [confidence(12, "4"), confidence(20, "6"), *ON_TRACK],
        [confidence(20, "7"), pain(8, "5"), pain(20, "4"), psfs(20, "5.5")],
        [confidence(20, "7"), pain(20, "8"), psfs(20, "5")],
    ],
    ids=[
        "confidence_reaches_exactly_7",
        "confidence_rose_exactly_2_since_phase_2_began",
        "a_confidence_reading_on_the_first_day_is_the_start",
        "no_confidence_before_the_start_so_the_earliest_after_it",
        "pain_fell_further_in_phase_2",
        "no_pain_before_phase_2_so_equal_to_the_baseline_is_enough",
    ],
)
def test_it_suggests_phase_3_when(readings):
    result = suggest(phase_2(*readings), DEFAULTS)
    assert (result.kind, result.to_phase) == ("phase_3", 3)


@pytest.mark.parametrize(
    "readings",
    [
        [confidence(8, "5"), confidence(20, "6"), *ON_TRACK],
        [confidence(20, "7"), pain(8, "5"), pain(20, "5"), psfs(20, "4.9")],
        [confidence(20, "7"), pain(8, "5"), pain(20, "6"), psfs(20, "5")],
        [confidence(20, "7"), pain(20, "8.5"), psfs(20, "5")],
        [confidence(20, "7"), psfs(20, "5")],
        [confidence(20, "7"), pain(8, "5"), pain(20, "5")],
        [*ON_TRACK],
    ],
    ids=[
        "confidence_is_6_and_rose_only_1",
        "the_psfs_mean_rose_only_1_9",
        "pain_rose_above_its_value_when_phase_2_began",
        "no_pain_before_phase_2_and_pain_above_the_baseline",
        "no_later_pain_reading",
        "no_later_psfs_reading",
        "no_confidence_reading",
    ],
)
def test_it_suggests_nothing_in_phase_2_when(readings):
    assert suggest(phase_2(*readings), DEFAULTS) is None


def test_it_suggests_nothing_in_phase_2_without_a_psfs_baseline():
    readings = [confidence(20, "8"), *ON_TRACK]
    assert suggest(phase_2(*readings, psfs_baseline=None), DEFAULTS) is None


def test_it_suggests_nothing_in_phase_2_without_the_date_it_began():
    readings = [confidence(20, "8"), *ON_TRACK]
    assert suggest(phase_2(*readings, started=None), DEFAULTS) is None


def test_phase_3_via_the_level_shows_confidence_psfs_and_pain_and_says_why():
    latest, pain_then, pain_now, psfs_now = (
        confidence(20, "7"),
        pain(8, "5"),
        pain(20, "4"),
        psfs(20, "5"),
    )
    result = suggest(phase_2(confidence(8, "6"), latest, pain_then, pain_now, psfs_now), DEFAULTS)
    assert result == Suggestion(
        "phase_3",
        3,
        "Movement confidence 7 (at least 7), PSFS mean up 2 since intake (at least 2), "
        "and average pain 4, not above 5 when phase 2 began.",
        (latest, intake_psfs("3"), psfs_now, pain_then, pain_now),
    )


def test_phase_3_via_the_rise_also_shows_the_confidence_when_phase_2_began():
    start, latest = confidence(8, "3"), confidence(20, "5.5")
    pain_then, pain_now, psfs_now = ON_TRACK
    result = suggest(phase_2(latest, start, *ON_TRACK), DEFAULTS)
    assert result.evidence == (start, latest, intake_psfs("3"), psfs_now, pain_then, pain_now)
    assert result.reason.startswith("Movement confidence 5.5 (up 2.5 since phase 2 began)")


def test_phase_3_shows_a_pain_reading_once_when_it_is_both_the_start_and_the_latest():
    only_pain = pain(8, "5")
    result = suggest(phase_2(confidence(20, "7"), only_pain, psfs(20, "5")), DEFAULTS)
    assert result.evidence.count(only_pain) == 1


# Phase 3 -> discharge review: 150 active minutes in the last two readings, PSFS mean 7.


def minutes(day, value):
    return reading("active_minutes", day, value)


def phase_3(*readings):
    return course(3, *readings, baseline=intake_pain("8"), psfs_baseline=intake_psfs("3"))


@pytest.mark.parametrize(
    "readings",
    [
        [minutes(12, 150), minutes(19, 150), psfs(19, "7")],
        [minutes(5, 20), minutes(12, 300), minutes(19, 160), psfs(19, "8")],
        [minutes(19, 160), psfs(19, "8"), minutes(12, 300), minutes(5, 20)],
    ],
    ids=[
        "exactly_150_and_150_minutes_with_psfs_7",
        "the_two_most_recent_of_three",
        "out_of_order_in_the_tuple_sorted_by_date",
    ],
)
def test_it_suggests_a_discharge_review_when(readings):
    result = suggest(phase_3(*readings), DEFAULTS)
    assert (result.kind, result.to_phase) == ("discharge_review", None)


@pytest.mark.parametrize(
    "readings",
    [
        [minutes(12, 149), minutes(19, 150), psfs(19, "7")],
        [minutes(12, 150), minutes(19, 149), psfs(19, "7")],
        [minutes(12, 150), minutes(19, 150), psfs(19, "6.9")],
        [minutes(12, 150), minutes(19, 150), psfs(12, "7"), psfs(19, "6")],
        [minutes(19, 300), psfs(19, "8")],
        [minutes(12, 150), minutes(19, 150)],
    ],
    ids=[
        "the_older_reading_is_149_minutes",
        "the_latest_reading_is_149_minutes",
        "the_psfs_mean_is_6_9",
        "only_an_older_psfs_mean_reached_7",
        "one_active_minutes_reading_only",
        "no_later_psfs_reading",
    ],
)
def test_it_suggests_no_discharge_review_when(readings):
    assert suggest(phase_3(*readings), DEFAULTS) is None


def test_a_discharge_review_shows_the_two_minutes_and_the_psfs_reading_and_says_why():
    first, second, latest_psfs = minutes(12, 150), minutes(19, 150), psfs(19, "7.00")
    result = suggest(phase_3(psfs(12, "6"), latest_psfs, second, first), DEFAULTS)
    assert result.evidence == (first, second, latest_psfs)
    assert result.reason == (
        "Active minutes 150 and 150 in the last two readings (at least 150 a week) "
        "and PSFS mean 7 (at least 7)."
    )


# Thresholds come from settings.PHASE_RULES unless given.


@pytest.mark.parametrize(
    ("calm_percent", "expected"),
    [(15, "phase_2"), (16, None)],
    ids=["met_at_the_threshold_in_settings", "not_met_under_it"],
)
def test_thresholds_default_to_settings_phase_rules(settings, calm_percent, expected):
    settings.PHASE_RULES = {**DEFAULTS, "calm_percent": calm_percent}
    readings = (pain(5, "8.5"), pain(6, "8.5"))  # 15 % and 1.5 points below 10
    assert kind(suggest(course(1, *readings, baseline=intake_pain("10")))) == expected
