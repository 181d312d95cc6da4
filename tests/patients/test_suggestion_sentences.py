"""Each phase rule (CLINICAL.md section 1, patients/rules.py) writes its suggestion as one
sentence a practitioner reads: the readings that met it, the rule they met, and what to
consider. Known readings, the default thresholds, the whole sentence. (Whether a rule fires:
test_rules_phase_2_and_flare_ups.py and test_rules_phase_3_and_discharge.py.)"""

import pytest

from patients.models import PhaseChange, PhaseSuggestion
from patients.progress import refresh_suggestion
from patients.rules import suggest
from tests.html import page_text
from tests.progress_helpers import days_ago
from tests.rule_helpers import DEFAULTS, course, intake_pain, intake_psfs, pain, reading

# Phase 1 -> 2


def test_calm_enough_by_per_cent_names_the_least_drop_and_the_rule():
    result = suggest(course(1, pain(5, "3"), pain(6, "4"), baseline=intake_pain("8")), DEFAULTS)
    assert result.reason == (
        "Average pain was 3 and 4 in the last two check-ins, at least 50 % below the baseline "
        "of 8 (the rule asks for 30 %): consider moving to phase 2, build confidence in "
        "movement."
    )


def test_calm_enough_by_per_cent_rounds_the_drop_down_so_at_least_stays_true():
    # 7 -> 4 is 42.9 % below: "at least 42 %", never "43 %".
    result = suggest(course(1, pain(5, "4"), pain(6, "4"), baseline=intake_pain("7")), DEFAULTS)
    assert "at least 42 % below the baseline of 7" in result.reason


def test_calm_enough_by_points_names_the_points_when_the_per_cent_is_not_met():
    result = suggest(course(1, pain(5, "6"), pain(6, "6"), baseline=intake_pain("8")), DEFAULTS)
    assert result.reason == (
        "Average pain was 6 and 6 in the last two check-ins, at least 2 points below the "
        "baseline of 8 (the rule asks for 2 points, or 30 %): consider moving to phase 2, "
        "build confidence in movement."
    )


# Flare-up, phase 2 or 3 -> review, back to phase 1


def test_a_flare_just_below_the_baseline_says_less_than_10_per_cent_below():
    result = suggest(
        course(2, pain(12, "9.25"), pain(13, "9.5"), baseline=intake_pain("10")), DEFAULTS
    )
    assert result.reason == (
        "Average pain was 9.25 and 9.5 in the last two check-ins, less than 10 % below the "
        "baseline of 10: possibly a flare-up; review, and consider going back to phase 1, "
        "calm things down."
    )


def test_a_flare_at_or_above_the_baseline_says_so():
    result = suggest(course(3, pain(12, "8"), pain(13, "9"), baseline=intake_pain("8")), DEFAULTS)
    assert result.reason == (
        "Average pain was 8 and 9 in the last two check-ins, at or above the baseline of 8: "
        "possibly a flare-up; review, and consider going back to phase 1, calm things down."
    )


# Phase 2 -> 3


def phase_2(*readings):
    return course(2, *readings, baseline=intake_pain("8"), psfs_baseline=intake_psfs("3"))


def test_confident_enough_by_the_level_names_confidence_psfs_and_pain():
    readings = [reading("confidence", 8, "6"), reading("confidence", 20, "7")]
    readings += [pain(8, "5"), pain(20, "4"), reading("psfs", 20, "5.33")]
    result = suggest(phase_2(*readings), DEFAULTS)
    assert result.reason == (
        "Movement confidence was 7 in the latest check-in (7 or more), the PSFS mean has "
        "risen 2.33 since the intake (2 or more), and average pain, 4, is not above the 5 it "
        "was when phase 2 began: consider moving to phase 3, move more."
    )


def test_confident_enough_by_the_rise_names_where_confidence_rose_from():
    readings = [reading("confidence", 8, "3"), reading("confidence", 20, "5.5")]
    readings += [pain(8, "5"), pain(20, "5"), reading("psfs", 20, "6")]
    result = suggest(phase_2(*readings), DEFAULTS)
    assert result.reason == (
        "Movement confidence rose 2.5 since phase 2 began, from 3 to 5.5 (2 or more), the "
        "PSFS mean has risen 3 since the intake (2 or more), and average pain, 5, is not "
        "above the 5 it was when phase 2 began: consider moving to phase 3, move more."
    )


# Phase 3 -> maintenance or discharge review


def test_active_enough_names_the_minutes_and_the_psfs_mean():
    readings = [reading("active_minutes", 12, 160), reading("active_minutes", 19, 240)]
    readings += [reading("psfs", 19, "7.00")]
    result = suggest(course(3, *readings, baseline=intake_pain("8")), DEFAULTS)
    assert result.reason == (
        "Active minutes were 160 and 240 a week in the last two check-ins (150 or more, the "
        "WHO guideline) and the PSFS mean was 7 (7 or more): consider a review for "
        "maintenance or discharge."
    )


# The sentence fits where it is kept


def test_the_longest_sentence_fits_the_suggestion_and_the_phase_change_it_may_become():
    """An accepted suggestion becomes the phase change's reason, after "Suggestion accepted: "."""
    readings = [reading("confidence", 8, "1.25"), reading("confidence", 20, "9.75")]
    readings += [pain(8, "8.75"), pain(20, "8.75"), reading("psfs", 20, "9.75")]
    psfs_base = reading("psfs", 1, "0.25", "intake")
    thresholds = DEFAULTS | {"confidence_level": 10, "confidence_rise": 8, "psfs_rise": 9}
    worst = course(2, *readings, baseline=intake_pain("10"), psfs_baseline=psfs_base)
    result = suggest(worst, thresholds)
    assert result.kind == "phase_3" and "rose 8.5 since phase 2 began" in result.reason
    room = PhaseChange._meta.get_field("reason").max_length - len("Suggestion accepted: ")
    assert len(result.reason) <= min(room, PhaseSuggestion._meta.get_field("reason").max_length)


# Kept and shown as written


@pytest.mark.django_db
def test_the_patient_page_shows_the_rules_sentence_above_its_readings(
    practitioner_client, patient, calmer
):
    suggestion = refresh_suggestion(patient)
    assert suggestion.reason == (  # 8 -> 5 is 37.5 % below: "at least 37 %"
        "Average pain was 5 and 5 in the last two check-ins, at least 37 % below the baseline "
        "of 8 (the rule asks for 30 %): consider moving to phase 2, build confidence in "
        "movement."
    )
    text = page_text(practitioner_client.get(patient.get_absolute_url()))
    readings = f"Readings behind it: Average pain, past week 8 on {days_ago(21):%-d %b %Y};"
    assert f"{suggestion.reason} {readings}" in text
