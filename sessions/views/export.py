"""CSV export of readings and sessions, for the clinic's own audit or for research.

The de-identified export has no name, contact or date of birth: an age band instead, a
random study id per patient and every date shifted by a random number of days per
patient (the same shift for all of one patient's rows, so intervals are kept). The ids
and shifts are new at every export and are not stored.

Every text cell that a spreadsheet would read as a formula is neutralised (OWASP's CSV
injection advice): a patient who types =HYPERLINK(...) as their name gets a cell that
shows it, not one that runs it.

The columns, and the codes beside the app's own names (CLINICAL.md section 7), are
documented in docs/exports.md.
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
from patients.codes import PAIN_NRS, code_for
from patients.models import OutcomeReading, Patient
from sessions import codes
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
    yield head + [
        "date", "measure", "value", "source", "code_system", "code", "code_display", "panel_code",
    ]  # fmt: skip
    readings = OutcomeReading.objects.select_related("patient").order_by("patient_id", "taken_on")
    for r in readings.iterator(chunk_size=2000):
        day = names.shift(r.patient_id, r.taken_on) if deidentified else r.taken_on.isoformat()
        code = code_for(r.measure)
        yield who(r.patient, deidentified, names, today) + [
            day, r.measure, r.value, r.source, code.system, code.code, code.display, code.panel,
        ]  # fmt: skip


def exported_sessions():
    return (
        TreatmentSession.objects.select_related("patient")
        .with_points()
        .prefetch_related("adverse_events")
        .order_by("patient_id", "started_at")
    )


def session_day(session, deidentified, names):
    day = timezone.localdate(session.started_at)
    return names.shift(session.patient_id, day) if deidentified else day.isoformat()


# STRICTA 2010 (CLINICAL.md section 6): every item a note records, beside the codes.
SESSION_COLUMNS = [
    "date", "session_number", "status", "style", "pain_before", "pain_after", "points",
    "needles", "retention_minutes", "electrical", "adverse_events", "pain_code",
    "procedure_code_system", "procedure_code", "procedure_code_verified", "needle_diameter_mm",
    "needle_length_mm", "needle_material", "needle_types", "depth_mm", "point_depths_mm",
    "response_sought", "response_obtained", "manual_technique", "electro_frequency_hz",
    "electro_frequency_2_hz", "electro_intensity", "electro_waveform", "moxibustion",
    "cupping", "gua_sha", "heat_lamp", "other_co_intervention", "herbal_formula", "advice",
]  # fmt: skip


def free_text(text, deidentified):
    """Free text in full, or in the de-identified file only whether there is any (it may
    name someone)."""
    if deidentified:
        return "yes" if text else ""
    return text


def session_csv_rows(deidentified):
    names, today = Pseudonyms(), timezone.localdate()
    yield who_columns(deidentified) + SESSION_COLUMNS
    for session in exported_sessions().iterator(chunk_size=500):
        rows = session.points.all()
        points = " ".join(f"{row.point.code}:{row.side}" for row in rows)
        events = "; ".join(f"{e.category}/{e.severity}" for e in session.adverse_events.all())
        needle_types = list(dict.fromkeys(row.needle_type for row in rows))
        depths = " ".join(f"{row.point.code}:{row.depth_mm}" for row in rows if row.depth_mm)
        yield who(session.patient, deidentified, names, today) + [
            session_day(session, deidentified, names),
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
            PAIN_NRS,
            codes.SNOMED,
            codes.ACUPUNCTURE,
            "yes" if codes.ACUPUNCTURE_VERIFIED else "no",
            session.needle_diameter_mm,
            session.needle_length_mm,
            session.needle_material,
            "; ".join(needle_types),
            session.depth_mm,
            depths,
            session.response_sought,
            session.response_obtained,
            session.manual_technique,
            session.electro_frequency_hz,
            session.electro_frequency_2_hz,
            session.electro_intensity,
            session.electro_waveform,
            session.moxibustion,
            session.cupping,
            session.gua_sha,
            session.heat_lamp,
            session.other_co_intervention,
            free_text(session.herbal_formula, deidentified),
            free_text(session.advice, deidentified),
        ]


POINT_COLUMNS = [
    "date", "session_number", "status", "point", "pinyin", "side", "laterality_code",
    "needles_per_side", "needles", "depth_mm", "stimulation", "needle_diameter_mm",
    "needle_length_mm",
]  # fmt: skip


def point_csv_rows(deidentified):
    """One row per needled point: its side (with its SNOMED CT laterality), needles, and
    its depth, stimulation and needle, each the row's own or else the session's."""
    names, today = Pseudonyms(), timezone.localdate()
    yield who_columns(deidentified) + POINT_COLUMNS
    for session in exported_sessions().iterator(chunk_size=500):
        person = who(session.patient, deidentified, names, today)
        day = session_day(session, deidentified, names)
        for row in session.points.all():
            yield person + [
                day,
                session.session_number,
                session.status,
                row.point.code,
                row.point.pinyin,
                row.side,
                codes.LATERALITY[row.side],
                row.needles_per_side or row.point.needles_per_side,
                row.needle_count,
                row.depth_mm or session.depth_mm,
                row.manual_technique or session.manual_technique,
                row.needle_diameter_mm or session.needle_diameter_mm,
                row.needle_length_mm or session.needle_length_mm,
            ]


CSV_ROWS = {"readings": reading_csv_rows, "sessions": session_csv_rows, "points": point_csv_rows}


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
    rows = CSV_ROWS[what](deidentified)
    writer = csv.writer(Echo())
    response = StreamingHttpResponse(
        (writer.writerow([neutralised(cell) for cell in row]) for row in rows),
        content_type="text/csv; charset=utf-8",
    )
    kind = "deidentified" if deidentified else "identified"
    name = f"{what}-{kind}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
