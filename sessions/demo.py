"""Demo treatment courses for seed_demo: protocols and plausible, synthetic sessions."""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from patients.models import OutcomeReading
from sessions.models import (
    AcupuncturePoint,
    AdverseEvent,
    Protocol,
    ProtocolPoint,
    SessionPoint,
    TreatmentSession,
)

# (name, owner index, shared, [(code, side)]): common chronic-pain prescriptions.
PROTOCOLS = [
    ("Low back pain", 0, True, [("BL23", "B"), ("BL25", "B"), ("BL40", "B"), ("GV4", "M"),
                                ("GB30", "B"), ("KI3", "B")]),
    ("Neck and shoulder pain", 0, True, [("GB20", "B"), ("GB21", "B"), ("BL10", "B"),
                                         ("SI3", "B"), ("TE5", "B"), ("LI4", "B")]),
    ("Knee pain", 1, True, [("ST35", "B"), ("EX-LE4", "B"), ("ST36", "B"), ("SP9", "B"),
                            ("GB34", "B"), ("EX-LE2", "B")]),
    ("Calm the mind", 1, False, [("EX-HN3", "M"), ("GV20", "M"), ("HT7", "B"), ("PC6", "B"),
                                 ("LR3", "B")]),
]  # fmt: skip
ADVERSE = [
    ("bleeding", "Small bruise at a needle site."),
    ("needle_pain", "Brief ache at a needle site."),
    ("drowsiness", "Sleepy for an hour afterwards."),
    ("flare", "Pain worse the next day, settled in two days."),
]
PATTERNS = ["Qi and blood stagnation", "Kidney deficiency", "Liver qi stagnation", "Damp-cold bi"]
ADVICE = [
    "Walk 20 minutes daily.",
    "Gentle stretches twice a day.",
    "Heat pack in the evening.",
    "",
]


def seed_protocols(practitioners):
    points = {p.code: p for p in AcupuncturePoint.objects.exclude(channel="CLINIC")}
    protocols = []
    for name, owner, shared, rows in PROTOCOLS:
        protocol, created = Protocol.objects.get_or_create(
            name=name, owner=practitioners[owner], defaults={"shared": shared}
        )
        if created:
            ProtocolPoint.objects.bulk_create(
                ProtocolPoint(protocol=protocol, point=points[code], side=side, order=i)
                for i, (code, side) in enumerate(rows)
            )
        protocols.append((protocol, [(points[code], side) for code, side in rows]))
    return protocols


def seed_courses(patients, protocols, batch_size=2000):
    """A weekly course for each patient that has none: pain easing for most, with flares."""
    now = timezone.now()
    notes, rows, events = [], [], []
    for patient in patients:
        rng = random.Random(patient.uuid.int)
        protocol, points = protocols[rng.randrange(len(protocols))]
        count = rng.randint(3, 10)
        start = now - timedelta(weeks=count + rng.randint(0, 8), hours=rng.randint(0, 8))
        pain = rng.randint(5, 8)
        for number in range(1, count + 1):
            started = start + timedelta(weeks=number - 1)
            flare = rng.random() < 0.12
            pain = min(10, pain + 2) if flare else max(1, pain - rng.choice([0, 0, 1, 1, 2]))
            signed = number < count or rng.random() < 0.7
            note = TreatmentSession(
                patient=patient,
                practitioner=patient.practitioner,
                started_at=started,
                session_number=number,
                pain_before=pain,
                pain_after=max(0, pain - rng.randint(1, 3)),
                retention_minutes=rng.choice([20, 20, 25, 30]),
                manual_technique="even",
                response_sought="de_qi",
                response_obtained=rng.choice(["de_qi", "de_qi", "none"]),
                pattern_diagnosis=rng.choice(PATTERNS),
                advice=rng.choice(ADVICE),
                needle_diameter_mm=Decimal("0.25"),
                needle_length_mm=40,
                status="signed" if signed else "draft",
                signed_by=patient.practitioner if signed else None,
                signed_at=started + timedelta(minutes=45) if signed else None,
            )
            notes.append(note)
            rows.append([(point, side) for point, side in points if rng.random() < 0.9])
            if rng.random() < 0.07:
                category, text = rng.choice(ADVERSE)
                events.append((note, category, text))
    created = 0
    for start_at in range(0, len(notes), batch_size):
        created += len(
            TreatmentSession.objects.bulk_create(notes[start_at : start_at + batch_size])
        )
    SessionPoint.objects.bulk_create(
        (
            SessionPoint(session=note, point=point, side=side, order=i)
            for note, points in zip(notes, rows, strict=True)
            for i, (point, side) in enumerate(points)
        ),
        batch_size=batch_size,
    )
    OutcomeReading.objects.bulk_create(
        (
            OutcomeReading(
                patient_id=note.patient_id,
                measure=measure,
                value=value,
                taken_on=timezone.localdate(note.started_at),
                source="session",
                session=note,
            )
            for note in notes
            for measure, value in (
                ("session_pain_before", note.pain_before),
                ("session_pain_after", note.pain_after),
            )
        ),
        batch_size=batch_size,
    )
    AdverseEvent.objects.bulk_create(
        (AdverseEvent(session=note, category=category, severity="mild", description=text,
                      action_taken="Reassured; resolved.") for note, category, text in events),
        batch_size=batch_size,
    )  # fmt: skip
    return created
