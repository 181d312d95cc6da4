"""Demo intakes, check-ins, readings and phase history for seed_demo, from the courses
planned in demo.course. Plain rows in bulk (demo.bulk): no per-row signals."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from demo.bulk import insert_rows, new_ids
from demo.course import ACTIVITIES, COMPLAINTS, peg, psfs
from patients import bodymap
from patients.models import (
    CheckIn,
    ConsentVersion,
    Intake,
    OutcomeReading,
    PatientLink,
    PhaseChange,
    PsfsActivity,
    PsfsRating,
    RedFlagReview,
    token_hash,
)
from patients.models.intake import PATIENT_DETAILS, RED_FLAGS, SAFETY_QUESTIONS, URGENT_FLAGS
from patients.models.readings import CHECKIN_SCORES

MEASURES = [*CHECKIN_SCORES, "peg", "psfs"]  # plain strings: COPY writes an enum by its name
REGIONS = {
    "Low back pain": ["lower_back"],
    "Neck and shoulder pain": ["neck_back", "shoulder_back_l", "shoulder_back_r"],
    "Knee pain": ["knee_front_r"],
    "Hip pain": ["hip_front_l", "buttock_l"],
    "Headaches": ["head_front", "head_back"],
}
# Red flags a practitioner saw at intake and judged safe to treat (about 1 intake in 20),
# and those of intakes waiting for review (every third has some, every other one urgent).
REVIEWED_FLAGS = [["night_pain"], ["new_after_50"], ["trauma"], ["cancer", "weight_loss"]]
WAITING_FLAGS = [["saddle", "leg_weakness"], ["night_pain", "fever"]]
# The address a consent came from, as a submission records it: one from the range kept
# for documentation (RFC 5737), never a real client's.
CONSENT_ADDRESS = "192.0.2.10"
# A safety answer for the practitioner to act on, in every fourth waiting intake.
WAITING_SAFETY = {"anticoagulants": "yes", "medicines": "Apixaban 5 mg twice a day"}
WAITING_SCORES = {
    "pain_now": 6,
    "pain_average": 6,
    "pain_worst": 8,
    "enjoyment": 6,
    "activity": 5,
    "confidence": 3,
    "active_minutes": 30,
}


def answers_for(patient, rng, complaint, scores, activities, flags=()):
    about = {name: getattr(patient, name) for name in PATIENT_DETAILS}
    about["date_of_birth"] = patient.date_of_birth.isoformat()
    measures = dict(scores)
    for n, (name, rating) in enumerate(activities, start=1):
        measures[f"psfs_{n}"], measures[f"psfs_{n}_rating"] = name, rating
    health = {key: "no" for key, _ in SAFETY_QUESTIONS}
    health |= {
        "previous_acupuncture": rng.choice(["yes", "no"]),
        "pregnant": "no",
        "conditions": "",
        "medicines": "",
        "surgeries": "",
        "due_date": None,
        "lymphoedema_limb": "",
    }
    return {
        "about": about,
        "pain": {
            "complaint": complaint,
            "regions": REGIONS[complaint],
            "since": rng.choice(["3m_1y", "1y_5y", "gt_5y"]),
            "worse": "",
            "better": "",
            "feels_like": rng.sample(["aching", "stiff", "burning", "throbbing"], 2),
        },
        "measures": measures,
        "health": health,
        "red_flags": {key: "yes" if key in flags else "no" for key, _, _ in RED_FLAGS},
        "goals": {"goals": "Get back to " + activities[0][0].lower() + "."},
        "consent": {"agree": True, "signature": patient.full_name},
    }


def submitted_intake(patient, submitted, consent, answers, flags, **fields):
    """An intake submitted at `submitted`, with the link it came through (which
    save_intakes saves first; its creation time is the time of the seed)."""
    link = PatientLink(
        patient=patient,
        purpose=PatientLink.Purpose.INTAKE,
        token_hash=token_hash(f"demo-{patient.uuid}"),
        expires_at=timezone.now() + timedelta(days=1),
        closed_at=submitted,
    )
    return Intake(
        patient=patient,
        link=link,
        step="consent",
        answers=answers,
        red_flags=flags,
        has_red_flags=bool(flags),
        urgent=bool(URGENT_FLAGS.intersection(flags)),
        pain_regions=bodymap.parts_mask(answers["pain"]["regions"]),
        submitted_at=submitted,
        consent_version=consent,
        consent_name=patient.full_name,
        consent_at=submitted,
        consent_ip=CONSENT_ADDRESS,
        **fields,
    )


def save_intakes(intakes):
    links = PatientLink.objects.bulk_create([intake.link for intake in intakes])
    for intake, link in zip(intakes, links, strict=True):
        intake.link_id = link.pk
    return Intake.objects.bulk_create(intakes)


def seed_waiting_intakes(patients):
    """Intakes submitted in the past week and waiting for review."""
    consent = ConsentVersion.current()
    now = timezone.now()
    intakes = []
    for n, patient in enumerate(patients):
        rng = random.Random(patient.uuid.int)
        flags = WAITING_FLAGS[n // 3 % 2] if n % 3 == 0 else []
        activities = [(name, rng.randint(1, 4)) for name in rng.sample(ACTIVITIES, 3)]
        answers = answers_for(
            patient, rng, rng.choice(COMPLAINTS), WAITING_SCORES, activities, flags
        )
        if n % 4 == 0:
            answers["health"] |= WAITING_SAFETY
        submitted = now - timedelta(days=rng.randint(0, 6), hours=rng.randint(1, 12))
        intakes.append(
            submitted_intake(
                patient, submitted, consent, answers, flags, status=Intake.Status.SUBMITTED
            )
        )
    return len(save_intakes(intakes))


def seed_intakes_and_checkins(plans):
    """For each planned course: the accepted intake (the baseline), the check-ins, their
    readings and PSFS ratings, and the phase changes. Returns (intakes, check-ins)."""
    consent = ConsentVersion.current()
    tz = timezone.get_current_timezone()
    intakes, reviews = [], []
    for n, plan in enumerate(plans):
        patient, by = plan.patient, plan.patient.practitioner_id
        flags = REVIEWED_FLAGS[n % 4] if plan.rng.random() < 0.05 else []
        answers = answers_for(
            patient, plan.rng, plan.complaint, plan.baseline, plan.activities, flags
        )
        submitted = datetime.combine(plan.intake_on, time(19), tz)
        intakes.append(
            submitted_intake(
                patient, submitted, consent, answers, flags, status=Intake.Status.ACCEPTED,
                accepted_at=submitted + timedelta(hours=14), accepted_by_id=by,
            )
        )  # fmt: skip
        if flags:
            reviews.append(
                RedFlagReview(
                    intake=intakes[-1],
                    urgent=intakes[-1].urgent,
                    reviewed_by_id=by,
                    action="safe",
                    notes="No concern.",
                )
            )
    for plan, intake in zip(plans, save_intakes(intakes), strict=True):
        plan.intake_id = intake.pk
    RedFlagReview.objects.bulk_create(reviews)
    seed_psfs_activities(plans)
    checkins = seed_checkins(plans)
    fields = ["activity_id", "value", "taken_on", "intake_id", "checkin_id"]
    insert_rows(PsfsRating, fields, (row for plan in plans for row in psfs_ratings(plan)))
    fields = ["patient_id", "measure", "value", "taken_on", "source", "intake_id", "checkin_id"]
    insert_rows(OutcomeReading, fields, (row for plan in plans for row in readings(plan)))
    insert_rows(
        PhaseChange,
        ["patient_id", "phase", "started_on", "changed_by_id", "reason"],
        (
            (plan.patient.pk, phase, started_on, plan.patient.practitioner_id, reason)
            for plan in plans
            for phase, started_on, reason in plan.phases
        ),
    )
    return len(intakes), checkins


def seed_psfs_activities(plans):
    ids = iter(new_ids(PsfsActivity, sum(len(plan.activities) for plan in plans)))
    rows = []
    for plan in plans:
        plan.activity_ids = [next(ids) for _ in plan.activities]
        for position, (name, _) in enumerate(plan.activities, start=1):
            rows.append((plan.activity_ids[position - 1], plan.patient.pk, name, position))
    insert_rows(PsfsActivity, ["id", "patient_id", "name", "position"], rows)


def seed_checkins(plans):
    ids = iter(new_ids(CheckIn, sum(len(plan.checkins) for plan in plans)))
    rows = []
    for plan in plans:
        for report in plan.checkins:
            report.id = next(ids)
            rows.append((report.id, plan.patient.pk, report.taken_on, *report.scores))
    return insert_rows(CheckIn, ["id", "patient_id", "taken_on", *CHECKIN_SCORES], rows)


def psfs_ratings(plan):
    for activity, (_, rating) in zip(plan.activity_ids, plan.activities, strict=True):
        yield activity, rating, plan.intake_on, plan.intake_id, None
    for report in plan.checkins:
        for activity, rating in zip(plan.activity_ids, report.ratings, strict=True):
            yield activity, rating, report.taken_on, None, report.id


def readings(plan):
    """The intake's readings and each check-in's, as the app records them
    (patients.actions): the seven scores, PEG and the PSFS mean."""
    patient, base = plan.patient.pk, plan.baseline
    values = [base[name] for name in CHECKIN_SCORES]
    values += [
        peg(base["pain_average"], base["enjoyment"], base["activity"]),
        psfs(tuple(rating for _, rating in plan.activities)),
    ]
    for measure, value in zip(MEASURES, values, strict=True):
        yield patient, measure, value, plan.intake_on, "intake", plan.intake_id, None
    for report in plan.checkins:
        values = (*report.scores, report.peg, report.psfs)
        for measure, value in zip(MEASURES, values, strict=True):
            yield patient, measure, value, report.taken_on, "checkin", None, report.id
