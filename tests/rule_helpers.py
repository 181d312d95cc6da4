"""Plain readings and courses for the phase rules (patients.rules), dated in March 2025:
`course(1, pain(5, "6"), pain(12, "5"), baseline=intake_pain("8"))`. DEFAULTS are the
thresholds every rule test passes explicitly, so that the environment cannot change them."""

from datetime import date
from decimal import Decimal

from patients.rules import Course, Reading

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
