"""Demo intakes and weekly check-ins for seed_demo: synthetic, mostly improving, a few
flare-ups. Bulk inserts: no per-row signals."""

import random
from datetime import timedelta

from django.db.models import Min
from django.utils import timezone

from patients.intake import RED_FLAGS, SAFETY_QUESTIONS
from patients.models import (
    CheckIn,
    ConsentVersion,
    Intake,
    OutcomeReading,
    PatientLink,
    PhaseChange,
    PsfsActivity,
    PsfsRating,
    token_hash,
)
from patients.scoring import peg_score, psfs_score
from sessions.models import TreatmentSession

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
Measure = OutcomeReading.Measure


def answers_for(patient, rng, scores, activities):
    about = {
        name: getattr(patient, name)
        for name in [
            "given_name",
            "family_name",
            "email",
            "phone",
            "emergency_contact_name",
            "emergency_contact_phone",
        ]
    }
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
            "complaint": rng.choice(COMPLAINTS),
            "regions": ["lower_back"],
            "since": rng.choice(["3m_1y", "1y_5y", "gt_5y"]),
            "worse": "",
            "better": "",
            "feels_like": ["aching"],
        },
        "measures": measures,
        "health": health,
        "red_flags": {key: "no" for key, _, _ in RED_FLAGS},
        "goals": {"goals": "Get back to " + activities[0][0].lower() + "."},
        "consent": {"agree": True, "signature": patient.full_name},
    }


def seed_intakes_and_checkins(patients):
    """An accepted intake (the baseline) and weekly check-ins for each patient given."""
    consent = ConsentVersion.current()
    now = timezone.now()
    links, intakes, activities, ratings, readings, checkins = [], [], [], [], [], []
    plans = []
    patients = list(patients)
    first_sessions = dict(
        TreatmentSession.objects.filter(patient__in=patients)
        .values("patient")
        .annotate(first=Min("started_at"))
        .values_list("patient", "first")
    )
    for patient in patients:
        rng = random.Random(patient.uuid.int + 7)
        # The intake comes a few days before the first session, as in a real clinic.
        start = first_sessions.get(patient.pk, now - timedelta(weeks=rng.randint(3, 12)))
        start -= timedelta(days=3)
        weeks = max(1, (now - start).days // 7)
        average = rng.randint(5, 8)
        scores = {
            "pain_now": average,
            "pain_average": average,
            "pain_worst": min(10, average + 2),
            "enjoyment": rng.randint(4, 8),
            "activity": rng.randint(4, 8),
            "confidence": rng.randint(2, 5),
            "active_minutes": rng.choice([0, 30, 60, 90]),
        }
        chosen = [(name, rng.randint(1, 4)) for name in rng.sample(ACTIVITIES, rng.randint(3, 5))]
        link = PatientLink(
            patient=patient,
            purpose="intake",
            created_at=start,
            token_hash=token_hash(f"demo-{patient.uuid}"),
            expires_at=now + timedelta(days=1),
            closed_at=start,
        )
        intake = Intake(
            patient=patient,
            link=link,
            status="accepted",
            step="consent",
            answers=answers_for(patient, rng, scores, chosen),
            submitted_at=start,
            consent_version=consent,
            consent_name=patient.full_name,
            consent_at=start,
            accepted_at=start,
            accepted_by=patient.practitioner,
        )
        links.append(link)
        intakes.append(intake)
        plans.append((patient, rng, intake, start, weeks, scores, chosen))
    PatientLink.objects.bulk_create(links)
    for intake in intakes:
        intake.link_id = intake.link.pk
    Intake.objects.bulk_create(intakes)
    for patient, _, _, _, _, _, chosen in plans:
        activities += [
            PsfsActivity(patient=patient, name=name, position=i)
            for i, (name, _) in enumerate(chosen, start=1)
        ]
    PsfsActivity.objects.bulk_create(activities)
    by_patient = {}
    for activity in activities:
        by_patient.setdefault(activity.patient_id, []).append(activity)
    for patient, rng, intake, start, weeks, scores, chosen in plans:
        mine = by_patient[patient.pk]
        day = timezone.localdate(start)
        ratings += [
            PsfsRating(activity=a, value=r, taken_on=day, intake=intake)
            for a, (_, r) in zip(mine, chosen, strict=True)
        ]
        readings += baseline_readings(patient, intake, day, scores, [r for _, r in chosen])
        improves = rng.random() < 0.8
        for week in range(1, weeks + 1):
            when = day + timedelta(weeks=week)
            gain = week * (0.6 if improves else 0.1) + (2.5 if rng.random() < 0.08 else 0) * -1
            average = max(0, min(10, round(scores["pain_average"] - gain)))
            entry = CheckIn(
                patient=patient,
                taken_on=when,
                pain_now=average,
                pain_average=average,
                pain_worst=min(10, average + 2),
                enjoyment=max(0, min(10, round(scores["enjoyment"] - gain))),
                activity=max(0, min(10, round(scores["activity"] - gain))),
                confidence=max(0, min(10, round(scores["confidence"] + gain))),
                active_minutes=min(600, scores["active_minutes"] + week * rng.choice([10, 20, 25])),
            )
            checkins.append((entry, mine, [min(10, r + round(gain)) for _, r in chosen]))
    CheckIn.objects.bulk_create([entry for entry, _, _ in checkins], ignore_conflicts=False)
    for entry, mine, values in checkins:
        ratings += [
            PsfsRating(activity=a, value=max(0, v), taken_on=entry.taken_on, checkin=entry)
            for a, v in zip(mine, values, strict=True)
        ]
        readings += checkin_readings(entry, [max(0, v) for v in values])
    PsfsRating.objects.bulk_create(ratings, batch_size=2000)
    OutcomeReading.objects.bulk_create(readings, batch_size=2000)
    PhaseChange.objects.bulk_create(phase_history(plans), batch_size=2000)
    return len(intakes), len(checkins)


def phase_history(plans):
    """Phase 1 from the intake; most patients who improve have moved on since."""
    changes = []
    for patient, rng, _, start, weeks, _, _ in plans:
        day = timezone.localdate(start)
        by = patient.practitioner
        changes.append(
            PhaseChange(
                patient=patient, phase=1, started_on=day, changed_by=by, reason="Intake accepted"
            )
        )
        if weeks >= 4 and rng.random() < 0.7:
            changes.append(
                PhaseChange(
                    patient=patient,
                    phase=2,
                    changed_by=by,
                    started_on=day + timedelta(weeks=weeks // 3 + 1),
                    reason="Average pain down by a third",
                )
            )
            if weeks >= 8 and rng.random() < 0.6:
                changes.append(
                    PhaseChange(
                        patient=patient,
                        phase=3,
                        changed_by=by,
                        started_on=day + timedelta(weeks=2 * weeks // 3 + 1),
                        reason="Confident in movement, PSFS up",
                    )
                )
    return changes


def baseline_readings(patient, intake, day, scores, psfs):
    values = {
        **scores,
        Measure.PEG: peg_score(scores["pain_average"], scores["enjoyment"], scores["activity"]),
        Measure.PSFS: psfs_score(psfs),
    }
    return [
        OutcomeReading(
            patient=patient, measure=m, value=v, taken_on=day, source="intake", intake=intake
        )
        for m, v in values.items()
    ]


def checkin_readings(entry, psfs):
    names = [
        "pain_now",
        "pain_average",
        "pain_worst",
        "enjoyment",
        "activity",
        "confidence",
        "active_minutes",
    ]
    values = {name: getattr(entry, name) for name in names}
    values[Measure.PEG] = peg_score(entry.pain_average, entry.enjoyment, entry.activity)
    values[Measure.PSFS] = psfs_score(psfs)
    return [
        OutcomeReading(
            patient_id=entry.patient_id,
            measure=m,
            value=v,
            taken_on=entry.taken_on,
            source="checkin",
            checkin=entry,
        )
        for m, v in values.items()
    ]
