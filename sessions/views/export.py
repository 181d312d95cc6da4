"""CSV export of readings and sessions, for the clinic's own audit or for research.

The de-identified export has no name, contact or date of birth: an age band instead, a
random study id per patient and every date shifted by a random number of days per
patient (the same shift for all of one patient's rows, so intervals are kept). The ids
and shifts are new at every export and are not stored.

Every text cell that a spreadsheet would read as a formula is neutralised (OWASP's CSV
injection advice): a patient who types =HYPERLINK(...) as their name gets a cell that
shows it, not one that runs it.
"""

import csv
import random
import re
import secrets
from datetime import timedelta

from django.contrib.auth.decorators import permission_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from audit import trail
from audit.models import AuditEvent
from patients.models import OutcomeReading, Patient
from sessions.forms import ExportForm
from sessions.models import TreatmentSession

MAX_SHIFT_DAYS = 180


class Echo:
    def write(self, value):
        return value


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


def neutralised(cell):
    """A cell a spreadsheet shows as it is: text starting with =, +, -, @, a tab or a
    carriage return gets a leading single quote, unless it is a plain number (-3, -1.5)."""
    if isinstance(cell, str) and cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def age_band(born, on):
    if born is None:
        return "unknown"
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    low = (age // 10) * 10
    return f"{low}-{low + 9}"


class Pseudonyms:
    """A random study id and date shift per patient, for one export."""

    def __init__(self):
        self.ids, self.shifts = {}, {}
        self.rng = random.SystemRandom()

    def study_id(self, patient_id):
        if patient_id not in self.ids:
            self.ids[patient_id] = "S-" + secrets.token_hex(4)
            self.shifts[patient_id] = timedelta(
                days=self.rng.randint(-MAX_SHIFT_DAYS, MAX_SHIFT_DAYS)
            )
        return self.ids[patient_id]

    def shift(self, patient_id, day):
        self.study_id(patient_id)
        return (day + self.shifts[patient_id]).isoformat()


def who_columns(deidentified):
    """The header of the columns `who` fills."""
    if deidentified:
        return ["study_id", "age_band", "sex"]
    return ["patient_uuid", "given_name", "family_name", "date_of_birth", "email", "phone"]


def who(patient, deidentified, names, today):
    if deidentified:
        return [names.study_id(patient.pk), age_band(patient.date_of_birth, today), patient.sex]
    born = patient.date_of_birth.isoformat() if patient.date_of_birth else ""
    return [
        str(patient.uuid),
        patient.given_name,
        patient.family_name,
        born,
        patient.email,
        patient.phone,
    ]


def exported_patients(what):
    """The patients whose rows an export of `what` holds, for the audit trail."""
    rows = OutcomeReading if what == "readings" else TreatmentSession
    return Patient.objects.filter(pk__in=rows.objects.values("patient_id")).only("uuid")


def reading_csv_rows(deidentified):
    names, today = Pseudonyms(), timezone.localdate()
    head = who_columns(deidentified)
    yield head + ["date", "measure", "value", "source"]
    readings = OutcomeReading.objects.select_related("patient").order_by("patient_id", "taken_on")
    for r in readings.iterator(chunk_size=2000):
        day = names.shift(r.patient_id, r.taken_on) if deidentified else r.taken_on.isoformat()
        yield who(r.patient, deidentified, names, today) + [day, r.measure, r.value, r.source]


def session_csv_rows(deidentified):
    names, today = Pseudonyms(), timezone.localdate()
    head = who_columns(deidentified)
    yield head + [
        "date",
        "session_number",
        "status",
        "style",
        "pain_before",
        "pain_after",
        "points",
        "needles",
        "retention_minutes",
        "electrical",
        "adverse_events",
    ]
    notes = (
        TreatmentSession.objects.select_related("patient")
        .with_points()
        .prefetch_related("adverse_events")
        .order_by("patient_id", "started_at")
    )
    for session in notes.iterator(chunk_size=500):
        day = timezone.localdate(session.started_at)
        shown = names.shift(session.patient_id, day) if deidentified else day.isoformat()
        points = " ".join(f"{row.point.code}:{row.side}" for row in session.points.all())
        events = "; ".join(f"{e.category}/{e.severity}" for e in session.adverse_events.all())
        yield who(session.patient, deidentified, names, today) + [
            shown,
            session.session_number,
            session.status,
            session.style,
            session.pain_before,
            session.pain_after,
            points,
            session.needle_count,
            session.retention_minutes,
            session.electrical,
            events,
        ]


@permission_required(
    ["patients.view_outcomereading", "treatment_sessions.view_treatmentsession"],
    raise_exception=True,
)
def export(request):
    form = ExportForm(request.GET or None)
    if not form.is_bound or not form.is_valid():
        status = 400 if form.is_bound else 200
        return render(request, "sessions/export.html", {"form": form}, status=status)
    what, deidentified = form.cleaned_data["what"], form.cleaned_data["deidentified"]
    trail.record_shown(
        AuditEvent.Action.EXPORT,
        exported_patients(what),
        detail=f"{what} ({'de-identified' if deidentified else 'identified'})",
    )
    rows = reading_csv_rows(deidentified) if what == "readings" else session_csv_rows(deidentified)
    writer = csv.writer(Echo())
    response = StreamingHttpResponse(
        (writer.writerow([neutralised(cell) for cell in row]) for row in rows),
        content_type="text/csv; charset=utf-8",
    )
    kind = "deidentified" if deidentified else "identified"
    name = f"{what}-{kind}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
