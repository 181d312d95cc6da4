"""Demo treatment notes for seed_demo: protocols, and the sessions of the courses planned
in demo.course. Plain rows in bulk (demo.bulk): no per-row signals."""

import uuid
from datetime import timedelta

from demo.bulk import insert_rows, new_ids
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
# The protocol for each intake complaint.
PROTOCOL_FOR = {
    "Low back pain": "Low back pain",
    "Hip pain": "Low back pain",
    "Neck and shoulder pain": "Neck and shoulder pain",
    "Knee pain": "Knee pain",
    "Headaches": "Calm the mind",
}
# Any adverse event in 7.57 % of treatments (Baeumler et al., BMJ Open 2021), all mild here.
ADVERSE_EVENT_SHARE = 0.0757
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


def seed_sessions(plans, protocols):
    """The planned visits as treatment notes (all signed but perhaps the latest), with
    their needled points, pain readings and adverse events. Returns the sessions created."""
    points_for = {protocol.name: points for protocol, points in protocols}
    ids = iter(new_ids(TreatmentSession, sum(len(plan.visits) for plan in plans)))
    sessions, needled, events = [], [], []
    for plan in plans:
        rng, patient = plan.rng, plan.patient
        by = patient.practitioner_id
        points = points_for[PROTOCOL_FOR[plan.complaint]]
        pattern = rng.choice(PATTERNS)
        for number, visit in enumerate(plan.visits, start=1):
            visit.id = next(ids)
            signed = number < len(plan.visits) or rng.random() < 0.7
            sessions.append((
                visit.id, uuid.UUID(int=rng.getrandbits(128), version=4), patient.pk, by,
                visit.started_at, number, visit.pain_before, visit.pain_after,
                rng.choice([20, 20, 25, 30]), rng.choice(["de_qi", "de_qi", "none"]), pattern,
                rng.choice(ADVICE), "signed" if signed else "draft", by if signed else None,
                visit.started_at + timedelta(minutes=45) if signed else None,
            ))  # fmt: skip
            chosen = [(point, side) for point, side in points if rng.random() < 0.9]
            needled += [(visit.id, point.pk, side, i) for i, (point, side) in enumerate(chosen)]
            if rng.random() < ADVERSE_EVENT_SHARE:
                category, text = rng.choice(ADVERSE)
                events.append((visit.id, category, "mild", text, "Reassured; resolved."))
    # The parts first, then the notes, already signed: the database refuses new parts of
    # a signed note (treatment_sessions 0005), and checks the foreign keys at the end.
    insert_rows(SessionPoint, ["session_id", "point_id", "side", "order"], needled)
    fields = ["session_id", "category", "severity", "description", "action_taken"]
    insert_rows(AdverseEvent, fields, events)
    insert_rows(
        TreatmentSession,
        [
            "id", "uuid", "patient_id", "practitioner_id", "started_at", "session_number",
            "pain_before", "pain_after", "retention_minutes", "response_obtained",
            "pattern_diagnosis", "advice", "status", "signed_by_id", "signed_at",
        ],
        sessions,
        manual_technique="even",
        response_sought="de_qi",
    )  # fmt: skip
    insert_rows(
        OutcomeReading,
        ["patient_id", "measure", "value", "taken_on", "source", "session_id"],
        (
            (plan.patient.pk, measure, value, visit.started_at.date(), "session", visit.id)
            for plan in plans
            for visit in plan.visits
            for measure, value in (
                ("session_pain_before", visit.pain_before),
                ("session_pain_after", visit.pain_after),
            )
        ),
    )
    return len(sessions)
