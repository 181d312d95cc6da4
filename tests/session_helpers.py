"""The session pages' addresses, and what a saved note holds: `saved_points(note)` lists
its points as (code, side, order), in their order."""

import datetime

from django.urls import reverse
from django.utils import timezone

from sessions.models import AdverseEvent, SessionPoint, TreatmentSession
from tests.session_factories import session_data


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
    `fields` change the form's (tests.session_factories.session_data). Returns the note."""
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
