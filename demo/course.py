"""A demo patient's course of care, planned in memory for seed_demo: the visits, the
check-ins between them and the phase changes the practitioner made along the way.

As in a chronic-pain practice, most patients improve, some plateau and some flare part-way
through. The practitioner acts on the rules' suggestions (patients.rules) at the next
visit, so every phase change follows from the readings before it. Everything comes from a
random generator seeded with the patient's uuid: a patient always gets the same course.
"""

import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

from django.conf import settings
from django.utils import timezone

from patients.scoring import peg_score, psfs_score

ACTIVITIES = [
    "Walking the dog",
    "Gardening",
    "Sitting through a film",
    "Carrying shopping",
    "Playing with the grandchildren",
    "Getting dressed",
    "Driving",
    "Sleeping through",
    "Climbing stairs",
    "Swimming",
]
COMPLAINTS = ["Low back pain", "Neck and shoulder pain", "Knee pain", "Hip pain", "Headaches"]
CHECKIN_SHARE = 0.78  # of the links sent after a visit, answered
ACCEPT = {"phase_2": 0.8, "phase_3": 0.5, "flare_review": 0.5}  # at each visit
REASONS = {
    "phase_2": "Average pain well below the baseline in two check-ins",
    "phase_3": "Confident in movement, PSFS up",
    "flare_review": "Flare: back to calming things down",
}


@dataclass
class Visit:
    started_at: datetime
    pain_before: int
    pain_after: int
    id: int | None = None


@dataclass
class Report:
    """A check-in: its scores (CHECKIN_SCORES) and the PSFS ratings, one an activity."""

    taken_on: date
    scores: tuple
    ratings: tuple
    id: int | None = None

    @property
    def peg(self):
        return peg(self.scores[1], self.scores[3], self.scores[4])

    @property
    def psfs(self):
        return psfs(self.ratings)


@dataclass
class Plan:
    patient: object
    rng: random.Random
    complaint: str
    intake_on: date
    baseline: dict  # the intake's scores, by CHECKIN_SCORES name
    activities: list  # (name, rating at intake)
    visits: list = field(default_factory=list)
    checkins: list = field(default_factory=list)
    phases: list = field(default_factory=list)  # (phase, started_on, reason)
    suggestion: str | None = None  # the rules' suggestion after the last reading
    # Primary keys, once the rows are about to be written.
    intake_id: int | None = None
    activity_ids: list = field(default_factory=list)


@cache
def peg(pain, enjoyment, activity):
    return peg_score(pain, enjoyment, activity)


@cache
def psfs(ratings):
    return psfs_score(ratings)


def clamp(value, top=10):
    return max(0, min(top, round(value)))


class Trajectory:
    """How the patient's average pain goes, by weeks since the intake: down towards a
    floor (improving), hardly down (plateau), or down with a flare back to the baseline
    for a few weeks. `recovery` is the share of the way from the baseline to pain 1;
    function (confidence, activities, active minutes) follows it by `function_gain`."""

    def __init__(self, rng, baseline, weeks):
        self.baseline = baseline
        self.function_gain = rng.uniform(0.2, 1)
        self.kind = rng.choices(["improving", "plateau", "flare"], weights=[65, 20, 15])[0]
        if self.kind == "plateau":
            self.floor = baseline - rng.uniform(0.3, 1.2)
        else:
            self.floor = rng.uniform(1, baseline / 2)
        self.weeks_to_ease = rng.uniform(2, 8)
        self.flare = None
        if self.kind == "flare":
            start = rng.uniform(3, max(4, weeks))
            self.flare = (start, start + rng.uniform(2, 6))

    def pain(self, week):
        if self.flare and self.flare[0] <= week < self.flare[1]:
            return self.baseline + 0.5
        eased = math.exp(-week / self.weeks_to_ease)
        return self.floor + (self.baseline - self.floor) * eased

    def recovery(self, week):
        return max(0.0, min(1.0, (self.baseline - self.pain(week)) / (self.baseline - 1)))


def course_length(rng):
    """Sessions: a few for new patients, a course of weeks for most, 30 to 70 for the
    long-term ones (about 26 on average)."""
    kind = rng.random()
    if kind < 0.15:
        return rng.randint(1, 3)
    if kind < 0.65:
        return rng.randint(4, 30)
    return rng.randint(30, 70)


def gaps_between_visits(rng, count):
    """Days between visits: weekly at first, then every week or two, then every few."""
    gaps = []
    for number in range(2, count + 1):
        if number <= 6:
            weeks = 1
        elif number <= 20:
            weeks = rng.choice([1, 1, 2])
        else:
            weeks = rng.choice([2, 3, 4])
        gaps.append(7 * weeks + rng.choice([-1, 0, 0, 1]))
    return gaps


def plan_course(patient, today):
    rng = random.Random(patient.uuid.int)
    gaps = gaps_between_visits(rng, course_length(rng))
    if patient.status == "discharged":
        last = today - timedelta(days=rng.randint(14, 365))
    elif rng.random() < 0.1:  # gone quiet: worth a call
        last = today - timedelta(days=rng.randint(21, 56))
    else:
        last = today - timedelta(days=rng.randint(1, 10))
    first = last - timedelta(days=sum(gaps))
    intake_on = first - timedelta(days=rng.randint(2, 7))
    average = rng.randint(5, 8)
    baseline = {
        "pain_now": clamp(average + rng.choice([-1, 0, 0, 1])),
        "pain_average": average,
        "pain_worst": min(10, average + rng.randint(1, 2)),
        "enjoyment": rng.randint(4, 8),
        "activity": rng.randint(4, 8),
        "confidence": rng.randint(2, 5),
        "active_minutes": rng.choice([0, 30, 60, 90]),
    }
    chosen = rng.sample(ACTIVITIES, rng.randint(3, 5))
    plan = Plan(
        patient=patient,
        rng=rng,
        complaint=rng.choice(COMPLAINTS),
        intake_on=intake_on,
        baseline=baseline,
        activities=[(name, rng.randint(1, 4)) for name in chosen],
    )
    days = [first]
    for gap in gaps:
        days.append(days[-1] + timedelta(days=gap))
    walk(plan, days, Trajectory(rng, average, (last - intake_on).days / 7), today)
    return plan


def walk(plan, days, trajectory, today):
    """Visits, with a check-in after most, and the practitioner taking up the rules'
    suggestion at the next visit, most of the time."""
    rng, tz = plan.rng, timezone.get_current_timezone()
    progress = Progress(plan.baseline["pain_average"], psfs(tuple(r for _, r in plan.activities)))
    plan.phases.append((1, plan.intake_on, "Intake accepted"))
    pending = None
    for number, day in enumerate(days):
        if pending and pending[1] and rng.random() < ACCEPT[pending[0]]:
            progress.move_to(pending[1])
            plan.phases.append((pending[1], day, REASONS[pending[0]]))
            pending = progress.suggestion()
        week = (day - plan.intake_on).days / 7
        before = clamp(trajectory.pain(week) + rng.gauss(0, 0.8))
        started = datetime.combine(day, time(rng.randint(9, 17), rng.choice([0, 15, 30, 45])), tz)
        plan.visits.append(Visit(started, before, max(0, before - rng.choice([0, 1, 1, 2, 2, 3]))))
        taken_on = day + timedelta(days=rng.randint(2, 5))
        following = days[number + 1] if number + 1 < len(days) else today + timedelta(days=1)
        if taken_on < following and rng.random() < CHECKIN_SHARE:
            report = check_in(plan, rng, taken_on, trajectory)
            plan.checkins.append(report)
            progress.add(report)
            pending = progress.suggestion()
    plan.suggestion = pending[0] if pending else None


def check_in(plan, rng, taken_on, trajectory):
    week = (taken_on - plan.intake_on).days / 7
    recovery = trajectory.recovery(week)
    gain = recovery * trajectory.function_gain
    base = plan.baseline
    average = clamp(trajectory.pain(week) + rng.gauss(0, 0.6))
    scores = (
        clamp(average + rng.choice([-1, 0, 0, 1])),
        average,
        min(10, average + rng.randint(1, 3)),
        clamp(base["enjoyment"] * (1 - 0.8 * recovery) + rng.gauss(0, 0.7)),
        clamp(base["activity"] * (1 - 0.8 * recovery) + rng.gauss(0, 0.7)),
        clamp(base["confidence"] + (9.5 - base["confidence"]) * gain + rng.gauss(0, 0.7)),
        5 * clamp((base["active_minutes"] + 300 * gain + rng.gauss(0, 25)) / 5, 120),
    )
    ratings = tuple(
        clamp(rating + (9 - rating) * gain * rng.uniform(0.7, 1) + rng.gauss(0, 0.6))
        for _, rating in plan.activities
    )
    return Report(taken_on, scores, ratings)


class Progress:
    """The readings the rules look at, kept as they arrive, and what patients.rules.suggest
    would say about them: (kind, to_phase) or None. Check-ins fall between visits, and
    phases change at visits, so no reading shares a day with a phase change."""

    def __init__(self, baseline, psfs_baseline):
        self.rules = settings.PHASE_RULES
        self.baseline, self.psfs_baseline = baseline, psfs_baseline
        self.phase = 1
        self.pain, self.confidence, self.psfs, self.minutes = [], [], [], []
        self.pain_at_start = self.confidence_at_start = None
        self.confidence_from = 0  # the first confidence reading after the phase began

    def add(self, report):
        self.pain.append(report.scores[1])
        self.confidence.append(report.scores[5])
        self.minutes.append(report.scores[6])
        self.psfs.append(report.psfs)

    def move_to(self, phase):
        self.phase = phase
        self.pain_at_start = self.pain[-1] if self.pain else None
        self.confidence_at_start = self.confidence[-1] if self.confidence else None
        self.confidence_from = len(self.confidence)

    def suggestion(self):
        t, base = self.rules, self.baseline
        drops = [base - pain for pain in self.pain[-2:]]
        if self.phase == 1:
            calm = len(drops) == 2 and (
                (base > 0 and all(d * 100 >= base * t["calm_percent"] for d in drops))
                or all(d >= t["calm_points"] for d in drops)
            )
            return ("phase_2", 2) if calm else None
        if len(drops) == 2 and all(d * 100 < base * t["flare_percent"] for d in drops):
            return ("flare_review", 1)
        if self.phase == 2 and self.confident():
            return ("phase_3", 3)
        if self.phase == 3 and self.active():
            return ("discharge_review", None)
        return None

    def confident(self):
        t = self.rules
        if not self.confidence:
            return False
        start = self.confidence_at_start
        if start is None:
            start = self.confidence[self.confidence_from]
        latest = self.confidence[-1]
        if latest < t["confidence_level"] and latest - start < t["confidence_rise"]:
            return False
        pain_start = self.baseline if self.pain_at_start is None else self.pain_at_start
        rise = self.psfs[-1] - self.psfs_baseline
        return rise >= t["psfs_rise"] and self.pain[-1] <= pain_start

    def active(self):
        t = self.rules
        last_two = self.minutes[-2:]
        return (
            len(last_two) == 2
            and all(minutes >= t["active_minutes"] for minutes in last_two)
            and self.psfs[-1] >= t["psfs_level"]
        )
