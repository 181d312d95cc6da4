"""Kaplan-Meier curves of the share of patients who have reached a phase of care.

A patient who reaches the phase is an event at that time; one who has not is censored at
the last time they were seen (their last reading, or their session count), counts in the
risk set up to and including that time (the usual convention when an event and a
censoring fall on the same time), and never as a failure. Kaplan and Meier, J Am Stat
Assoc 1958;53:457-481.
"""

# Floats, not Fractions: a product of many fractions is exact but slow (its terms grow with
# the register), and a share still to reach the phase of exactly a half may come out a hair
# above 0.5 in floating point.
HALF = 0.5 + 1e-9


def kaplan_meier(groups):
    """The curve from `groups`: {time: (events, censored)} with times >= 0.

    Returns the rows of the table (one per time at which anything happened, after a row
    at 0 if nothing did then): time, at risk, reached, censored and the share reached in
    per cent to one decimal; and the KM median, the first time the share reaches 50 %
    (None if it never does)."""
    at_risk = sum(events + censored for events, censored in groups.values())
    remaining = 1.0
    rows, median = [], None
    if at_risk and 0 not in groups:
        rows.append(_row(0, at_risk, 0, 0, remaining))
    for time in sorted(groups):
        events, censored = groups[time]
        if events:
            remaining *= 1 - events / at_risk
        rows.append(_row(time, at_risk, events, censored, remaining))
        if median is None and remaining <= HALF:
            median = time
        at_risk -= events + censored
    return {"rows": rows, "median": median, "reached": sum(e for e, _ in groups.values())}


def _row(time, at_risk, events, censored, remaining):
    percent = round((1 - remaining) * 100, 1)
    return {
        "time": time,
        "at_risk": at_risk,
        "reached": events,
        "censored": censored,
        "percent": percent,
    }
