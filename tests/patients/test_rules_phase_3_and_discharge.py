"""Suggesting a change of phase (CLINICAL.md section 1), pure rules over plain readings:
phase 2 to 3 on confidence, PSFS and pain; phase 3 to a discharge review on active minutes
and PSFS; and the thresholds from settings.PHASE_RULES unless given."""

import pytest

from patients.rules import Course, Suggestion, suggest
from tests.rule_helpers import (
    DEFAULTS,
    PHASE_2_BEGAN,
    course,
    intake_pain,
    intake_psfs,
    pain,
    reading,
)


def kind(suggestion):
    return suggestion.kind if suggestion else None


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
        "Movement confidence was 7 in the latest check-in (7 or more), the PSFS mean has "
        "risen 2 since the intake (2 or more), and average pain, 4, is not above the 5 it was "
        "when phase 2 began: consider moving to phase 3, move more.",
        (latest, intake_psfs("3"), psfs_now, pain_then, pain_now),
    )


def test_phase_3_via_the_rise_also_shows_the_confidence_when_phase_2_began():
    start, latest = confidence(8, "3"), confidence(20, "5.5")
    pain_then, pain_now, psfs_now = ON_TRACK
    result = suggest(phase_2(latest, start, *ON_TRACK), DEFAULTS)
    assert result.evidence == (start, latest, intake_psfs("3"), psfs_now, pain_then, pain_now)
    assert result.reason.startswith(
        "Movement confidence rose 2.5 since phase 2 began, from 3 to 5.5"
    )


def test_phase_3_shows_a_pain_reading_once_when_it_is_both_the_start_and_the_latest():
    only_pain = pain(8, "5")
    result = suggest(phase_2(confidence(20, "7"), only_pain, psfs(20, "5")), DEFAULTS)
    assert result.evidence.count(only_pain) == 1


# Confidence "risen by 2 since the phase began" counts from the reading in force on the
# phase's first day, whichever its source (issue 13): the intake's too. Phase 2 begins on
# the 10th; the intake's confidence is given as (day, value), the check-ins' as readings.


def intake_confidence(day, value):
    return reading("confidence", day, value, "intake")


def phase_2_from_intake(intake, *readings):
    baseline = intake_pain("8")
    intake_readings = (baseline, intake_psfs("3"), *([intake] if intake else []))
    return Course(2, PHASE_2_BEGAN, baseline, intake_psfs("3"), tuple(readings), intake_readings)


IN_FORCE = [
    # (intake confidence, check-in confidence readings, suggested kind)
    pytest.param(
        intake_confidence(10, "4"), [confidence(20, "6")], "phase_3",
        id="intake_on_the_first_day_of_phase_2_then_up_2",
    ),
    pytest.param(
        intake_confidence(10, "5"), [confidence(20, "6")], None,
        id="intake_on_the_first_day_of_phase_2_then_up_only_1",
    ),
    pytest.param(
        intake_confidence(1, "4"), [confidence(20, "6")], "phase_3",
        id="intake_before_phase_2_and_nothing_since_is_still_in_force",
    ),
    pytest.param(
        intake_confidence(1, "4"), [confidence(8, "5"), confidence(20, "6")], None,
        id="a_checkin_before_phase_2_replaces_the_intakes",
    ),
    pytest.param(
        intake_confidence(10, "4"), [confidence(10, "5"), confidence(20, "6")], None,
        id="a_checkin_on_the_intake_day_wins_over_it",
    ),
    pytest.param(
        None, [confidence(12, "4"), confidence(20, "6")], "phase_3",
        id="no_intake_reading_so_the_earliest_after_the_start",
    ),
    pytest.param(
        intake_confidence(10, "4"), [], None, id="no_reading_since_the_intake",
    ),
    pytest.param(
        intake_confidence(10, "8"), [confidence(20, "6")], None,
        id="the_intakes_own_high_value_is_not_the_latest",
    ),
]  # fmt: skip


@pytest.mark.parametrize("intake, checkins, expected", IN_FORCE)
def test_confidence_rises_from_the_reading_in_force_when_phase_2_began(intake, checkins, expected):
    result = suggest(phase_2_from_intake(intake, *checkins, *ON_TRACK), DEFAULTS)
    assert kind(result) == expected
    if expected:
        assert "rose 2 since phase 2 began" in result.reason
        start = intake if intake and intake.taken_on <= PHASE_2_BEGAN else checkins[0]
        assert result.evidence[:2] == (start, checkins[-1])


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
        "Active minutes were 150 and 150 a week in the last two check-ins (150 or more, the "
        "WHO guideline) and the PSFS mean was 7 (7 or more): consider a review for "
        "maintenance or discharge."
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
