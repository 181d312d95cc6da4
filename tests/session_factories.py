"""Factories for treatment notes, their points, adverse events, amendments and protocols.

Points come from the WHO catalogue the migrations load: name them by code.

    note = TreatmentSessionFactory(patient=ana, practitioner=lin, points=["ST36", ("GV20", "M")])
    signed = TreatmentSessionFactory(patient=ana, practitioner=lin, signed=True)
"""

import datetime
import importlib
import re
from contextlib import contextmanager

import factory
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags

from patients.models import PatientSummary
from sessions.models import (
    AcupuncturePoint,
    AdverseEvent,
    Amendment,
    Protocol,
    ProtocolPoint,
    SessionPoint,
    TreatmentSession,
)
from tests.factories import PatientFactory, PractitionerFactory


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

    @factory.post_generation
    def points(session, create, extracted, **kwargs):
        if create and extracted:
            add_points(session, extracted)

    @factory.post_generation
    def summary(session, create, extracted, **kwargs):
        if create:  # as sessions.actions.save_session leaves it
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
    side = factory.LazyAttribute(lambda row: "M" if row.point.channel in ("GV", "CV") else "B")
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


# Form data: what the session form's browser posts.

FORMSET_MANAGEMENT = {"MIN_NUM_FORMS": "0", "MAX_NUM_FORMS": "1000"}


def formset_data(prefix, rows, *, initial=0, blank=1):
    """A formset's POST data: its management form, `rows` (dicts of field -> value), then
    `blank` untouched extra rows, as the page sends them."""
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + blank),
        f"{prefix}-INITIAL_FORMS": str(initial),
        **{f"{prefix}-{key}": value for key, value in FORMSET_MANAGEMENT.items()},
    }
    for index, row in enumerate(rows):
        for field, value in row.items():
            if value is not None and value is not False:
                data[f"{prefix}-{index}-{field}"] = "on" if value is True else str(value)
    return data


def point_row(code, side="B", **fields):
    return {"point": code, "side": side, "depth_mm": "", "manual_technique": "", **fields}


def session_data(points=(("ST36", "B"),), adverse=(), action="draft", initial_points=0, **fields):
    """A valid POST for the new-session or edit page; `fields` override the main fields
    (None leaves a field out, True ticks a checkbox). `points` are (code, side) pairs or
    point_row dicts; `adverse` are dicts of an adverse event's fields."""
    main = {
        "started_at": "2025-03-04T10:30",
        "style": "tcm",
        "pain_before": "6",
        "pain_after": "3",
        "tongue_body": "pale",
        "pulse": "wiry",
        "pattern_diagnosis": "Liver qi stagnation",
        "needle_diameter_mm": "0.25",
        "needle_length_mm": "40",
        "depth_mm": "",
        "retention_minutes": "20",
        "manual_technique": "even",
        "electro_frequency_hz": "",
        "response_sought": "de_qi",
        "response_obtained": "de_qi",
        "advice": "Walk 20 minutes daily.",
        **fields,
    }
    data = {}
    for name, value in main.items():
        if value is not None and value is not False:
            data[name] = "on" if value is True else str(value)
    rows = [row if isinstance(row, dict) else point_row(*row) for row in points]
    data.update(formset_data("points", rows, initial=initial_points, blank=3))
    data.update(formset_data("adverse", list(adverse), blank=1))
    data["action"] = action
    return data


# Reading the session form page back: where an error is shown, and what was kept.


def html(response):
    return response.content.decode()


def text(fragment):
    return " ".join(strip_tags(fragment).split())


def field_error(response, name):
    """The error shown under the main form's field `name` (crispy's block), or ''."""
    match = re.search(rf'<div id="id_{name}_error"[^>]*>(.*?)</div>', html(response), re.S)
    return text(match.group(1)) if match else ""


def field_tag(response, field_id):
    """The opening tag of a field on the page, by its id: its value, state and classes."""
    pattern = rf'<(?:input|select|textarea)\b[^>]*\bid="{field_id}"[^>]*>'
    match = re.search(pattern, html(response))
    assert match, f"no field #{field_id} on the page"
    return match.group(0)


def point_row_html(response, index):
    """The list item of point row `index`: its fields and the errors shown under them."""
    for item in html(response).split('<li class="point-row')[1:]:
        if f'id="id_points-{index}-point"' in item:
            return item.split("</li>")[0]
    raise AssertionError(f"no point row {index} on the page")


def point_row_error(response, index):
    row = point_row_html(response, index)
    return text(" ".join(re.findall(r'<div class="invalid-feedback[^"]*">(.*?)</div>', row)))


def posted_points(response):
    """(code as shown, side) of every filled point row of the re-rendered form."""
    rows = response.context["points"].forms
    return [(row["point"].value(), row["side"].value()) for row in rows if row["point"].value()]
