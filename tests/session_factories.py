"""Factories for treatment notes, their points, adverse events, amendments and protocols.

Points come from the WHO catalogue the migrations load: name them by code.

    note = TreatmentSessionFactory(patient=ana, practitioner=lin, points=["ST36", ("GV20", "M")])
    signed = TreatmentSessionFactory(patient=ana, practitioner=lin, signed=True)
    SessionOnDateFactory(patient=ana, practitioner=lin, on=days_ago(20), pain_before=7)
"""

import datetime
import importlib
from contextlib import contextmanager

import factory
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from patients.models import OutcomeReading, PatientSummary
from patients.progress import change_phase
from sessions.models import (
    AcupuncturePoint,
    AdverseEvent,
    Amendment,
    Protocol,
    ProtocolPoint,
    SessionPoint,
    TreatmentSession,
)
from tests.factories import (
    CheckInFactory,
    PatientFactory,
    PractitionerFactory,
    StartedCourseFactory,
)
from tests.progress_helpers import days_ago, moment_on


def point(code):
    return AcupuncturePoint.objects.get(code=code)


def next_session_number(patient):
    if patient.pk is None:
        return 1
    last = patient.treatment_sessions.aggregate(n=Max("session_number"))["n"]
    return (last or 0) + 1


def add_points(session, specs):
    """Add points to a note: each a code (bilateral, or midline for GV/CV) or (code, side)."""
    rows = []
    for order, spec in enumerate(specs):
        code, side = (spec, None) if isinstance(spec, str) else spec
        extra = {} if side is None else {"side": side}
        rows.append(SessionPointFactory(session=session, code=code, order=order, **extra))
    return rows


class TreatmentSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TreatmentSession
        skip_postgeneration_save = True

    class Params:
        signed = factory.Trait(
            status=TreatmentSession.Status.SIGNED,
            signed_by=factory.SelfAttribute("practitioner"),
            signed_at=factory.LazyAttribute(
                lambda session: session.started_at + datetime.timedelta(hours=1)
            ),
        )

    patient = factory.SubFactory(PatientFactory)
    practitioner = factory.SubFactory(PractitionerFactory)
    started_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    session_number = factory.LazyAttribute(lambda session: next_session_number(session.patient))
    pain_before = 6
    pain_after = 3
    retention_minutes = 20
    # What STRICTA expects of a note (SessionRules.missing_details): a note from here
    # lacks nothing, so signing it asks only its cautions.
    plan = "Review in a week."
    response_obtained = TreatmentSession.Response.DE_QI
    needle_material = "Stainless steel"

    @factory.post_generation
    def points(session, create, extracted, **kwargs):
        if create and extracted:
            add_points(session, extracted)

    @factory.post_generation
    def summary(session, create, extracted, **kwargs):
        if create:  # as sessions.actions.save_session leaves it
            PatientSummary.objects.refresh(session.patient)


class SessionOnDateFactory(TreatmentSessionFactory):
    """A treatment session at 10:30 on `on` (yesterday by default) with its points (ST36
    unless given) and its pain before and after as readings, as save_session leaves them."""

    class Params:
        on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=1))

    started_at = factory.LazyAttribute(lambda session: moment_on(session.on, 10, 30))

    @factory.post_generation
    def points(session, create, extracted, **kwargs):
        if create:
            add_points(session, ("ST36",) if extracted is None else extracted)

    @factory.post_generation
    def readings(session, create, extracted, **kwargs):
        if not create:
            return
        on = timezone.localtime(session.started_at).date()
        pain = [
            ("session_pain_before", session.pain_before),
            ("session_pain_after", session.pain_after),
        ]
        OutcomeReading.objects.bulk_create(
            OutcomeReading(
                patient=session.patient, measure=m, value=v, taken_on=on, source="session",
                session=session,
            )
            for m, v in pain
            if v is not None
        )  # fmt: skip
        PatientSummary.objects.refresh(session.patient)


LOCKS = importlib.import_module("sessions.migrations.0005_signed_notes_locked")


@contextmanager
def signed_session_locks_lifted():
    """For setting up a test only: lift the database's refusal of new parts of a signed
    note for one block, as only a superuser (PostgreSQL) or the file's owner (SQLite) can;
    demo data is loaded drafts first, then signed, instead."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Triggers do not fire for a replica's writes; only a superuser may say so.
            cursor.execute("SET LOCAL session_replication_role = replica")
            yield
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
        else:
            inserts = [t for t in LOCKS.sqlite_triggers(["id"]) if "_insert_locked" in t[0]]
            for name, _ in inserts:
                cursor.execute(f"DROP TRIGGER {name}")
            yield
            for _, sql in inserts:
                cursor.execute(sql)


class LockBypassingFactory(factory.django.DjangoModelFactory):
    """Builds the parts of a note even when the note is signed, as demo data does: the
    lock is for people, not for setting up a test."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with signed_session_locks_lifted():
            row = model_class.objects.bulk_create([model_class(*args, **kwargs)])[0]
        PatientSummary.objects.refresh(row.session.patient)  # as save_session leaves it
        return row


class SessionPointFactory(LockBypassingFactory):
    class Meta:
        model = SessionPoint
        exclude = ["code"]

    session = factory.SubFactory(TreatmentSessionFactory)
    code = "ST36"
    point = factory.LazyAttribute(lambda row: point(row.code))
    side = factory.LazyAttribute(lambda row: "M" if row.point.midline else "B")
    order = factory.Sequence(int)


class AdverseEventFactory(LockBypassingFactory):
    class Meta:
        model = AdverseEvent

    session = factory.SubFactory(TreatmentSessionFactory)
    category = AdverseEvent.Category.BLEEDING
    severity = AdverseEvent.Severity.MILD
    description = "Small bruise at a needle site."


class AmendmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Amendment

    session = factory.SubFactory(TreatmentSessionFactory, signed=True)
    author = factory.SelfAttribute("session.practitioner")
    text = "Retention was 25 minutes, not 20."


class ProtocolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Protocol
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Protocol {n}")
    owner = factory.SubFactory(PractitionerFactory)
    shared = True

    @factory.post_generation
    def points(protocol, create, extracted, **kwargs):
        """`points=[("ST36", "B"), ("GV20", "M")]`"""
        for order, (code, side) in enumerate(extracted or []):
            ProtocolPoint.objects.create(
                protocol=protocol, point=point(code), side=side, order=order
            )


def course_history(patient, by, checkins, sessions):
    """A course `by` began 400 days ago: `checkins` weekly check-ins from day 390 (average
    pain 7, 6, 5, 4 in turn), `sessions` weekly notes from day 395 with an adverse event
    in every fifth, and phases 2 and 3 from days 300 and 200. For the tests that a page's
    queries stay the same whatever the length of the history."""
    StartedCourseFactory(patient=patient, accepted_by=by, on=days_ago(400))
    for n in range(checkins):
        CheckInFactory(
            patient=patient,
            taken_on=days_ago(390 - 7 * n),
            pain_average=7 - n % 4,
            peg="5.33",
            enjoyment=5,
            activity=4,
            psfs="4.00",
            confidence=5,
        )
    for n in range(sessions):
        on = days_ago(395 - 7 * n)
        points = ["ST36", ("GV20", "M")]
        session = SessionOnDateFactory(patient=patient, practitioner=by, on=on, points=points)
        if n % 5 == 0:
            AdverseEventFactory(session=session)
    change_phase(patient, 2, days_ago(300), by)
    change_phase(patient, 3, days_ago(200), by)
