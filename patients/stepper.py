"""The phases of care as three steps, for the patient and progress pages: where the
patient is, since when, and the rule that would suggest moving on (CLINICAL.md section 1,
with the clinic's thresholds from settings.PHASE_RULES)."""

from django.conf import settings
from django.utils import timezone

from patients.models import Phase


def next_rule(phase):
    """The rule that would suggest the next step from `phase`, in words."""
    t = settings.PHASE_RULES
    if phase == Phase.CALM:
        return (
            f"Phase 2 is suggested when the two latest average-pain readings are both at least "
            f"{t['calm_percent']} % (or {t['calm_points']} points) below the intake's."
        )
    if phase == Phase.CONFIDENCE:
        return (
            f"Phase 3 is suggested when movement confidence is at least "
            f"{t['confidence_level']} (or has risen {t['confidence_rise']} since phase 2 "
            f"began), the PSFS mean has risen {t['psfs_rise']} since intake, and average pain "
            f"is no higher than when phase 2 began."
        )
    if phase == Phase.MOVE:
        return (
            f"A discharge review is suggested at {t['active_minutes']} or more active minutes "
            f"a week in the two latest check-ins, with a PSFS mean of {t['psfs_level']} or more."
        )
    return "The course starts in phase 1 when the intake is accepted."


def phase_stepper(phase, started_on):
    """The three steps (number, name, done / current / to come), the days in the current
    phase and the next rule, for templates/patients/_phase_stepper.html."""
    steps = [
        {
            "number": step.value,
            "name": step.label,
            "state": (
                "to come"
                if phase is None or step.value > phase
                else "current"
                if step.value == phase
                else "done"
            ),
        }
        for step in Phase
    ]
    days = (timezone.localdate() - started_on).days if started_on else None
    return {"steps": steps, "since": started_on, "days": days, "rule": next_rule(phase)}
