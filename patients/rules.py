"""When to *suggest* a change of phase (CLINICAL.md section 1); the practitioner decides.

Pure functions over plain data: the caller turns OutcomeReadings into `Reading`s and the
course into a `Course`. Each rule returns a `Suggestion` or None; `suggest` picks one.
Per-cent comparisons are multiplied out, so Decimal values on a threshold stay exact.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings

from patients.models.phases import Phase


@dataclass(frozen=True)
class Reading:
    measure: str  # "pain_average", "confidence", "psfs", "active_minutes"
    taken_on: date
    value: Decimal
    source: str = ""  # "intake", "checkin", "session" (informational)


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "phase_2", "phase_3", "discharge_review", "flare_review"
    to_phase: int | None  # 2, 3, None for a discharge review, 1 for a flare
    reason: str
    evidence: tuple[Reading, ...]


@dataclass(frozen=True)
class Course:
    phase: int
    phase_started_on: date | None
    baseline: Reading | None  # average pain at the accepted intake
    psfs_baseline: Reading | None  # PSFS mean at the accepted intake
    readings: tuple[Reading, ...]  # later readings of the four measures, any order
    intake: tuple[Reading, ...] = ()  # the accepted intake's readings of the four measures


def _series(course, measure):
    """Readings of one measure, oldest first (ties keep tuple order), without the intake's."""
    intake = (course.baseline, course.psfs_baseline, *course.intake)
    later = [r for r in course.readings if r.measure == measure and r not in intake]
    return sorted(later, key=lambda r: r.taken_on)


def _in_force_at_phase_start(course, measure, or_after=False):
    """The reading of `measure` in force when the phase began, whichever its source (issue
    13): the latest on or before its first day, the intake's included (a check-in of the
    same day wins over it); else, if `or_after`, the earliest after it; else None."""
    intake = [r for r in course.intake if r.measure == measure]
    if measure == "pain_average" and course.baseline and course.baseline not in intake:
        intake.insert(0, course.baseline)
    readings = sorted([*intake, *_series(course, measure)], key=lambda r: r.taken_on)
    started = course.phase_started_on
    in_force = _at_phase_start(readings, started)
    if in_force is None and or_after:
        return next((r for r in readings if r.taken_on > started), None)
    return in_force


def _num(value):
    """A value as people write it: 4, 4.5, 150 (not 4.00 or 1.5E+2)."""
    return f"{Decimal(value).normalize():f}"


def _drop(baseline, reading):
    return Decimal(baseline.value) - Decimal(reading.value)


def _both(readings):
    """Two readings' values as a sentence names them: "3 and 4"."""
    return " and ".join(_num(r.value) for r in readings)


def _consider(phase):
    """How each sentence ends: what the practitioner might do."""
    return f"consider moving to phase {phase}, {Phase(phase).label.lower()}"


# Each rule writes its suggestion as one sentence (Suggestion.reason): the readings that
# met it, the rule they met, and what to consider. The pages show it as it is.


# IMMPACT "moderately important" change: Dworkin et al. J Pain 2008; Farrar et al. Pain 2001.
def calm_enough(course: Course, t: dict) -> Suggestion | None:
    last_two = _series(course, "pain_average")[-2:]
    if course.baseline is None or len(last_two) < 2:
        return None
    base = Decimal(course.baseline.value)
    drops = [_drop(course.baseline, r) for r in last_two]
    if base > 0 and all(d * 100 >= base * t["calm_percent"] for d in drops):
        # Floored, so that "at least" stays true: 8 -> 3 and 4 is at least 50 % below.
        least = int(min(drops) * 100 / base)
        rule = f"at least {least} % below the baseline of {_num(base)}"
        asked = f"{t['calm_percent']} %"
    elif all(d >= t["calm_points"] for d in drops):
        rule = f"at least {_num(min(drops))} points below the baseline of {_num(base)}"
        asked = f"{t['calm_points']} points, or {t['calm_percent']} %"
    else:
        return None
    reason = (
        f"Average pain was {_both(last_two)} in the last two check-ins, {rule} "
        f"(the rule asks for {asked}): {_consider(Phase.CONFIDENCE)}."
    )
    return Suggestion("phase_2", 2, reason, (course.baseline, *last_two))


# IMMPACT responder categories (Dworkin et al. J Pain 2008): under 10 % below is no change.
def flaring(course: Course, t: dict) -> Suggestion | None:
    last_two = _series(course, "pain_average")[-2:]
    if course.baseline is None or len(last_two) < 2:
        return None
    base = Decimal(course.baseline.value)
    if any(_drop(course.baseline, r) * 100 >= base * t["flare_percent"] for r in last_two):
        return None
    if all(_drop(course.baseline, r) <= 0 for r in last_two):
        where = f"at or above the baseline of {_num(base)}"
    else:
        where = f"less than {t['flare_percent']} % below the baseline of {_num(base)}"
    reason = (
        f"Average pain was {_both(last_two)} in the last two check-ins, {where}: possibly a "
        f"flare-up; review, and consider going back to phase 1, {Phase.CALM.label.lower()}."
    )
    return Suggestion("flare_review", 1, reason, (course.baseline, *last_two))


def _at_phase_start(series, started_on):
    """The reading in force when the phase began: latest on or before its first day."""
    before = [r for r in series if r.taken_on <= started_on]
    return before[-1] if before else None


# PSFS minimal detectable change about 2 for the mean: Stratford et al. Physiother Can 1995.
def confident_enough(course: Course, t: dict) -> Suggestion | None:
    confidence = _series(course, "confidence")
    psfs = _series(course, "psfs")
    pain = _series(course, "pain_average")
    if not (confidence and psfs and pain and course.psfs_baseline and course.phase_started_on):
        return None
    latest = confidence[-1]
    start = _in_force_at_phase_start(course, "confidence", or_after=True)
    rise = Decimal(latest.value) - Decimal(start.value)
    if latest.value >= t["confidence_level"]:
        confident = (latest,)
        because = (
            f"Movement confidence was {_num(latest.value)} in the latest check-in "
            f"({t['confidence_level']} or more)"
        )
    elif rise >= t["confidence_rise"]:
        confident = (start, latest)
        because = (
            f"Movement confidence rose {_num(rise)} since phase 2 began, from "
            f"{_num(start.value)} to {_num(latest.value)} ({t['confidence_rise']} or more)"
        )
    else:
        return None
    psfs_rise = Decimal(psfs[-1].value) - Decimal(course.psfs_baseline.value)
    pain_start = _in_force_at_phase_start(course, "pain_average")
    if psfs_rise < t["psfs_rise"] or pain_start is None or pain[-1].value > pain_start.value:
        return None
    reason = (
        f"{because}, the PSFS mean has risen {_num(psfs_rise)} since the intake "
        f"({t['psfs_rise']} or more), and average pain, {_num(pain[-1].value)}, is not above "
        f"the {_num(pain_start.value)} it was when phase 2 began: {_consider(Phase.MOVE)}."
    )
    evidence = (*confident, course.psfs_baseline, psfs[-1], pain_start, pain[-1])
    return Suggestion("phase_3", 3, reason, tuple(dict.fromkeys(evidence)))


# WHO 2020 physical-activity guideline: 150-300 minutes of moderate activity a week.
def active_enough(course: Course, t: dict) -> Suggestion | None:
    last_two = _series(course, "active_minutes")[-2:]
    psfs = _series(course, "psfs")
    if len(last_two) < 2 or not psfs:
        return None
    if any(r.value < t["active_minutes"] for r in last_two) or psfs[-1].value < t["psfs_level"]:
        return None
    reason = (
        f"Active minutes were {_both(last_two)} a week in the last two check-ins "
        f"({t['active_minutes']} or more, the WHO guideline) and the PSFS mean was "
        f"{_num(psfs[-1].value)} ({t['psfs_level']} or more): consider a review for "
        f"maintenance or discharge."
    )
    return Suggestion("discharge_review", None, reason, (*last_two, psfs[-1]))


def suggest(course: Course, thresholds: dict | None = None) -> Suggestion | None:
    """The one suggestion for this course now, or None. A flare outranks progress."""
    t = settings.PHASE_RULES if thresholds is None else thresholds
    if course.phase == 1:
        return calm_enough(course, t)
    if course.phase == 2:
        return flaring(course, t) or confident_enough(course, t)
    if course.phase == 3:
        return flaring(course, t) or active_enough(course, t)
    return None
