"""A patient's course built straight in the database, for the progress and phase tests:
an accepted intake with its baseline readings and phase 1, check-ins with their readings,
treatment sessions with pain before and after, and the progress page read back. Each
helper leaves the patient's summary as the app's own writes would.

    intake = start_course(ana, lin, on=days_ago(28), pain_average=8)
    checkin(ana, days_ago(21), pain_average=6, psfs=4)
    session(ana, lin, days_ago(20), before=7, after=4, points=["ST36", ("GV20", "M")])
    chart = progress_data(client.get(progress_url(ana)))
"""

import datetime
import json
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from patients.models import (
    CheckIn,
    ConsentVersion,
    Intake,
    OutcomeReading,
    PatientLink,
    PatientSummary,
    PhaseChange,
)
from patients.models.readings import CHECKIN_SCORES
from tests.session_factories import TreatmentSessionFactory, add_points

# What the intake's baseline readings are, unless a test says otherwise.
BASELINE = {
    "pain_now": 7,
    "pain_average": 8,
    "pain_worst": 9,
    "enjoyment": 7,
    "activity": 6,
    "peg": "7.00",
    "psfs": "3.00",
    "confidence": 3,
    "active_minutes": 60,
}


# The phase tests' course (tests/patients/conftest.py) began this many days ago.
COURSE_BEGAN = 21


def today():
    return timezone.localdate()


def days_ago(n):
    return today() - datetime.timedelta(days=n)


def start_course(patient, by, on=None, **measures):
    """An accepted intake dated `on` (today by default), its baseline readings (BASELINE,
    with `measures` changed; a value of None leaves that reading out) and phase 1 from it,
    as accept_intake leaves them."""
    on = on or today()
    moment = timezone.make_aware(
        datetime.datetime.combine(on, datetime.time(9, 0)), ZoneInfo(settings.TIME_ZONE)
    )
    link, _ = PatientLink.issue(patient, PatientLink.Purpose.INTAKE)
    link.closed_at = moment
    link.save(update_fields=["closed_at"])
    intake = Intake.objects.create(
        patient=patient,
        link=link,
        status=Intake.Status.ACCEPTED,
        step="consent",
        submitted_at=moment,
        consent_version=ConsentVersion.current(),
        consent_name=patient.full_name,
        consent_at=moment,
        accepted_at=moment,
        accepted_by=by,
    )
    values = {**BASELINE, **measures}
    OutcomeReading.objects.bulk_create(
        OutcomeReading(
            patient=patient, measure=m, value=v, taken_on=on, source="intake", intake=intake
        )
        for m, v in values.items()
        if v is not None
    )
    PhaseChange.objects.create(
        patient=patient, phase=1, started_on=on, changed_by=by, reason="Intake accepted"
    )
    PatientSummary.objects.refresh(patient)
    return intake


def checkin(patient, on, pain_average=5, **measures):
    """A check-in on `on` and its readings: average pain, and any other `measures` given
    (peg, psfs, confidence, active_minutes, ...). The check-in row's own fields are filled
    from them where they exist."""
    values = {"pain_average": pain_average, **measures}
    row = dict.fromkeys(CHECKIN_SCORES, 5) | {"active_minutes": 60}
    row |= {name: int(value) for name, value in values.items() if name in CHECKIN_SCORES}
    entry = CheckIn.objects.create(patient=patient, taken_on=on, **row)
    OutcomeReading.objects.bulk_create(
        OutcomeReading(
            patient=patient, measure=m, value=v, taken_on=on, source="checkin", checkin=entry
        )
        for m, v in values.items()
    )
    PatientSummary.objects.refresh(patient)
    return entry


def session_on(patient, by, on, before=6, after=3, points=("ST36",)):
    """A treatment session at 10:30 on `on` with its points (codes, or (code, side)) and its
    pain before and after as readings, as save_session leaves them."""
    started = timezone.make_aware(
        datetime.datetime.combine(on, datetime.time(10, 30)), ZoneInfo(settings.TIME_ZONE)
    )
    session = TreatmentSessionFactory(
        patient=patient, practitioner=by, started_at=started, pain_before=before, pain_after=after
    )
    add_points(session, points)
    OutcomeReading.objects.bulk_create(
        OutcomeReading(
            patient=patient, measure=m, value=v, taken_on=on, source="session", session=session
        )
        for m, v in [("session_pain_before", before), ("session_pain_after", after)]
        if v is not None
    )
    PatientSummary.objects.refresh(patient)
    return session


# The pages


def progress_url(patient):
    return reverse("patients:progress", kwargs={"patient_uuid": patient.uuid})


def report_url(patient):
    return reverse("patients:report", kwargs={"patient_uuid": patient.uuid})


def phase_url(patient):
    return reverse("patients:phase_change", kwargs={"patient_uuid": patient.uuid})


def phase_data(**changes):
    """A valid POST for the phase change form (phase 2 from today); `changes` override it."""
    return {"phase": "2", "started_on": today().isoformat(), "reason": "Pain well down"} | changes


def accept_url(suggestion):
    kwargs = {"patient_uuid": suggestion.patient.uuid, "suggestion_id": suggestion.pk}
    return reverse("patients:accept_suggestion", kwargs=kwargs)


def dismiss_url(suggestion):
    kwargs = {"patient_uuid": suggestion.patient.uuid, "suggestion_id": suggestion.pk}
    return reverse("patients:dismiss_suggestion", kwargs=kwargs)


def page_text(response):
    """The page as a reader sees it: tags stripped, white space collapsed."""
    return " ".join(strip_tags(response.content.decode()).split())


def progress_data(response):
    """The charts' data, as the page's json_script hands it to the script."""
    match = re.search(
        r'<script id="progress-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no progress-data on the page"
    return json.loads(match.group(1))


def summary_value(response, term):
    """The text of the summary's <dd> after the <dt> `term`."""
    match = re.search(
        rf"<dt[^>]*>{re.escape(term)}</dt>\s*<dd[^>]*>(.*?)</dd>", response.content.decode(), re.S
    )
    assert match, f"no {term!r} in the summary"
    return " ".join(strip_tags(match.group(1)).split())
