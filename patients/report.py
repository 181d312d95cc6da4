"""The progress report's narrative: plain sentences written from the data the progress page
shows (`patients.progress.progress`), with the scores' changes and IMMPACT categories from
`patients.scoring` (CLINICAL.md sections 1 and 2).

    narrative(ana, progress(ana))
    # [["Ana Silva started care on 4 Oct 2026, 8 weeks ago, and is now in phase 2 of 3, ...",
    #   "There have been 6 treatment sessions."], ["Average pain over the past week ...", ...]]
"""

from django.template.defaultfilters import floatformat, pluralize
from django.utils import timezone
from django.utils.formats import date_format

from patients.scoring import PSFS_DETECTABLE_CHANGE, improvement_percent, responder_category

# What a change in each IMMPACT category reads as in a sentence.
CATEGORY_WORDS = {
    "worse": "worse",
    "no change": "no change",
    "minimal": "a minimal improvement",
    "moderate": "a moderate improvement",
    "substantial": "a substantial improvement",
}
# "60 %", never split over two lines.
PER_CENT = "\N{NO-BREAK SPACE}%"


def narrative(patient, data, today=None):
    """The report's paragraphs about `patient`, each a list of sentences, from `data` =
    progress(patient): the course and its sessions; the scores against their baseline;
    adverse events."""
    today = today or timezone.localdate()
    totals = data["totals"]
    scores = [_pain(data)]
    peg = _first_and_latest(data["readings"], "peg")
    if peg:
        scores.append(_peg(*peg))
    psfs = _first_and_latest(data["readings"], "psfs")
    if psfs:
        scores.append(_psfs(*psfs))
    return [
        [_course(patient, data, today), _sessions(totals["sessions"])],
        scores,
        [_adverse_events(totals["adverse_events"])],
    ]


def _course(patient, data, today):
    phases = data["phases"]
    if not phases:
        return (
            f"{patient.full_name}'s course of care has not started: it starts when the intake "
            f"is accepted."
        )
    began, current = phases[0].started_on, data["current"]
    days = (today - began).days
    weeks = days // 7
    if weeks:
        length = f"{weeks} week{pluralize(weeks)} ago"
    else:
        length = f"{days} day{pluralize(days)} ago" if days else "today"
    phase = f"phase {current.phase} of 3, {current.get_phase_display().lower()}"
    if current.started_on != began:
        phase += f" (since {_day(current.started_on)})"
    return f"{patient.full_name} started care on {_day(began)}, {length}, and is now in {phase}."


def _sessions(count):
    if not count:
        return "There have been no treatment sessions yet."
    return f"There {pluralize(count, 'has,have')} been {count} treatment session{pluralize(count)}."


def _pain(data):
    baseline, latest, change = data["baseline"], data["latest"], data["change"]
    if baseline is None:
        return (
            "There is no baseline for average pain (it comes from the accepted intake), so no "
            "change can be given."
        )
    first = f"Average pain over the past week was {_score(baseline.value, '-1')} out of 10"
    first += " at the intake"
    if latest is None:
        return f"{first}; there is no later reading yet."
    return (
        f"{first} and {_score(latest.value, '-1')} on {_day(latest.taken_on)}: "
        f"{_change(change['points'], change['percent'], change['category'], '-1')}."
    )


def _peg(first, latest):
    points = first.value - latest.value  # lower is better
    percent = improvement_percent(first.value, latest.value)
    category = responder_category(first.value, latest.value)
    return (
        f"The PEG score (pain, and its interference with enjoyment of life and general activity; "
        f"lower is better) was {_score(first.value, 1)} at the intake and "
        f"{_score(latest.value, 1)} on {_day(latest.taken_on)}: "
        f"{_change(points, percent, category, 1)}."
    )


def _psfs(first, latest):
    rise = latest.value - first.value  # higher is better
    direction = "up" if rise > 0 else "down"
    moved = f"{direction} {_points(abs(rise), 1)}" if rise else "no change"
    noise = "beyond" if abs(rise) >= PSFS_DETECTABLE_CHANGE else "within"
    return (
        f"The PSFS mean (activities the patient chose, each rated from 0, unable, to 10, as "
        f"before the problem; higher is better) was "
        f"{_score(first.value, 1)} at the intake and {_score(latest.value, 1)} on "
        f"{_day(latest.taken_on)}: {moved}, {noise} the change of about "
        f"{PSFS_DETECTABLE_CHANGE} points that measurement noise can explain."
    )


def _adverse_events(count):
    if not count:
        return "No adverse events were recorded."
    return (
        f"{count} adverse event{pluralize(count)} {pluralize(count, 'was,were')} recorded; "
        f"the treatment notes give the details."
    )


def _first_and_latest(readings, measure):
    """The intake's reading of `measure` and the latest one after it, or None."""
    intake = next((r for r in readings if r.measure == measure and r.source == "intake"), None)
    later = [r for r in readings if r.measure == measure and r.source != "intake"]
    return (intake, later[-1]) if intake and later else None


def _change(points, percent, category, places):
    """ "4 points (50 %) better, which the IMMPACT categories count as a substantial
    improvement"; from a baseline of 0 there is no per cent."""
    if points == 0:
        amount = "the same"
    else:
        size = _points(abs(points), places)
        share = "" if percent is None else f" ({floatformat(abs(percent), 0)}{PER_CENT})"
        amount = f"{size}{share} {'better' if points > 0 else 'worse'}"
    return f"{amount}, which the IMMPACT categories count as {CATEGORY_WORDS[category]}"


def _points(value, places):
    return f"{floatformat(value, places)} point{'' if value == 1 else 's'}"


def _score(value, places):
    return floatformat(value, places)


def _day(date):
    return date_format(date)  # DATE_FORMAT: "25 Nov 2026" (clinic/formats)
