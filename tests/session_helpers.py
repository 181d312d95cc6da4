"""The session form as its browser posts it (`session_data(points=[("ST36", "B")])`), the
session pages' addresses, a session logged through the new-session page, and what a saved
note holds: `saved_points(note)` lists its points as (code, side, order), in their order."""

import datetime

from django.urls import reverse
from django.utils import timezone

from sessions.models import AdverseEvent, SessionPoint, TreatmentSession

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


def posted_points(response):
    """(code as shown, side) of every filled point row of the re-rendered form."""
    rows = response.context["points"].forms
    return [(row["point"].value(), row["side"].value()) for row in rows if row["point"].value()]


# The session pages


def new_url(patient):
    return reverse("sessions:new", kwargs={"patient_uuid": patient.uuid})


def edit_url(session):
    return reverse(
        "sessions:edit", kwargs={"patient_uuid": session.patient.uuid, "session_uuid": session.uuid}
    )


def sign_url(session):
    return reverse(
        "sessions:sign", kwargs={"patient_uuid": session.patient.uuid, "session_uuid": session.uuid}
    )


def note_url(name, session, patient=None):
    """The page or action `name` of a note (detail, print, sign, amend, edit, ...), under
    its own patient or under `patient`."""
    patient_uuid = (patient or session.patient).uuid
    return reverse(
        f"sessions:{name}", kwargs={"patient_uuid": patient_uuid, "session_uuid": session.uuid}
    )


def edit_data(session, **fields):
    """A draft save of `session` from its edit page, as opened at its current version."""
    return session_data(points=(), version=session.version, **fields)


def log_session(client, patient, **fields):
    """The practitioner logs a session yesterday at 10:00 on the new-session page;
    `fields` change the form's (session_data). Returns the note."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        new_url(patient), session_data(started_at=f"{yesterday}T10:00", **fields)
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return patient.treatment_sessions.latest("session_number")


def saved_points(session):
    """(code, side, order) of each of the note's points, in their order."""
    return list(session.points.order_by("order", "id").values_list("point__code", "side", "order"))


def assert_nothing_saved():
    assert not TreatmentSession.objects.exists()
    assert not SessionPoint.objects.exists()
    assert not AdverseEvent.objects.exists()


def sign_data(session, acknowledge=(), sign_past_missing=False):
    """The sign review's POST: the note's version, the cautions ticked (keys) and, if
    `sign_past_missing`, the box to sign without what the note lacks."""
    data = {"version": session.version, "acknowledge": list(acknowledge)}
    if sign_past_missing:
        data["sign_past_missing"] = "on"
    return data
