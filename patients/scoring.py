"""Scores of the outcome measures, computed in one place (CLINICAL.md sections 1 and 2)."""

from decimal import ROUND_HALF_UP, Decimal

PSFS_MIN_ACTIVITIES = 3
PSFS_MAX_ACTIVITIES = 5
# A change in the PSFS mean beyond measurement noise: about 2 (CLINICAL.md section 2).
PSFS_DETECTABLE_CHANGE = 2


def _mean(values):
    total = sum(Decimal(value) for value in values)
    return (total / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def peg_score(pain, enjoyment, activity):
    """PEG (Krebs et al., J Gen Intern Med 2009): the mean of its three 0-10 items."""
    return _mean([pain, enjoyment, activity])


def psfs_score(ratings):
    """PSFS (Stratford et al., Physiother Can 1995): the mean of 3-5 activity ratings."""
    ratings = list(ratings)
    if not PSFS_MIN_ACTIVITIES <= len(ratings) <= PSFS_MAX_ACTIVITIES:
        raise ValueError(f"PSFS needs 3 to 5 ratings, not {len(ratings)}")
    return _mean(ratings)


def improvement_percent(baseline, value):
    """How much better than baseline, in per cent (negative when worse); None from a 0."""
    if baseline is None or value is None or Decimal(baseline) == 0:
        return None
    return (Decimal(baseline) - Decimal(value)) / Decimal(baseline) * 100


def responder_category(baseline, value):
    """IMMPACT categories against baseline (Dworkin et al., J Pain 2008). From a baseline
    of 0 there is no per cent, but a rise is still "worse" (CLINICAL.md section 1)."""
    if baseline is not None and value is not None and Decimal(baseline) == 0:
        return "worse" if Decimal(value) > 0 else "no change"
    percent = improvement_percent(baseline, value)
    if percent is None:
        return None
    if percent < 0:
        return "worse"
    if percent < 10:
        return "no change"
    if percent < 30:
        return "minimal"
    if percent < 50:
        return "moderate"
    return "substantial"
