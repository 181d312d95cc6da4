"""Scores of the outcome measures (CLINICAL.md section 2) and the IMMPACT responder
categories (Dworkin et al., J Pain 2008)."""

from decimal import Decimal

import pytest

from patients.scoring import improvement_percent, peg_score, psfs_score, responder_category


@pytest.mark.parametrize(
    ("pain", "enjoyment", "activity", "score"),
    [
        (7, 6, 7, "6.67"),  # 6.666... rounds up, not down
        (2, 2, 3, "2.33"),  # 2.333... rounds down
        (0, 0, 0, "0"),
        (10, 10, 10, "10"),
        (5, 6, 7, "6"),
    ],
)
def test_peg_is_the_mean_of_its_three_items_to_two_decimals(pain, enjoyment, activity, score):
    result = peg_score(pain, enjoyment, activity)
    assert isinstance(result, Decimal)
    assert result == Decimal(score)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("ratings", "score"),
    [
        ([4, 3, 6], "4.33"),
        ([0, 0, 10], "3.33"),
        ([1, 1, 2], "1.33"),
        ([2, 2, 1], "1.67"),
        ([5, 5, 5, 5], "5"),
        ([1, 2, 2, 2], "1.75"),
        ([1, 2, 3, 4, 5], "3"),
        ([10, 10, 10, 10, 9], "9.8"),
    ],
)
def test_psfs_is_the_mean_of_three_to_five_ratings(ratings, score):
    assert psfs_score(ratings) == Decimal(score)


def test_psfs_takes_any_iterable_of_ratings():
    assert psfs_score(rating for rating in [4, 3, 6]) == Decimal("4.33")


@pytest.mark.parametrize("ratings", [[], [5], [5, 6], [1, 2, 3, 4, 5, 6]])
def test_psfs_refuses_fewer_than_three_or_more_than_five_ratings(ratings):
    with pytest.raises(ValueError, match="3 to 5"):
        psfs_score(ratings)


@pytest.mark.parametrize(
    ("baseline", "value", "percent"),
    [
        (8, 4, "50"),
        (8, 8, "0"),
        (8, 10, "-25"),
        (10, 0, "100"),
        (Decimal("6.67"), Decimal("3.335"), "50"),
    ],
)
def test_improvement_is_the_drop_from_baseline_in_per_cent(baseline, value, percent):
    assert improvement_percent(baseline, value) == Decimal(percent)


@pytest.mark.parametrize(("baseline", "value"), [(0, 0), (0, 3), (None, 3), (5, None)])
def test_there_is_no_per_cent_from_a_zero_or_missing_baseline(baseline, value):
    assert improvement_percent(baseline, value) is None


@pytest.mark.parametrize(
    ("baseline", "value", "category"),
    [(0, 3, "worse"), (0, Decimal("0.5"), "worse"), (0, 0, "no change"), (None, 3, None),
     (5, None, None)],
)  # fmt: skip
def test_from_a_baseline_of_0_a_rise_is_worse_never_blank(baseline, value, category):
    assert responder_category(baseline, value) == category


@pytest.mark.parametrize(
    ("baseline", "value", "category"),
    [
        (10, 11, "worse"),
        (10, Decimal("10.1"), "worse"),
        (8, 8, "no change"),
        (10, 10, "no change"),
        (10, Decimal("9.1"), "no change"),  # 9 %
        (10, 9, "minimal"),  # exactly 10 %
        (10, Decimal("7.1"), "minimal"),  # 29 %
        (10, 7, "moderate"),  # exactly 30 %
        (10, Decimal("5.1"), "moderate"),  # 49 %
        (10, 5, "substantial"),  # exactly 50 %
        (10, 0, "substantial"),
        (8, 4, "substantial"),
        (6, 3, "substantial"),
    ],
)
def test_responder_category_follows_the_immpact_boundaries(baseline, value, category):
    assert responder_category(baseline, value) == category
