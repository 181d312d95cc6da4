"""The patient's story beside the note (issue 15): what the session form's side panel
shows, from four plain queries whatever the patient's history: the accepted intake's time
and pain answers, the latest check-in, the earlier note, and the PSFS activities with
their ratings at intake and latest (PsfsActivity.objects.for_story). The summary comes
with the patient (patients.access). At 10,000 patients the three plain queries for the
intake, check-in and note take about 3 ms; one query with the same as six correlated
subqueries took 9, most of it Django compiling them (docs/performance.md)."""

from django.db.models import Case, Value, When
from django.urls import reverse

from patients import bodymap
from patients.forms.intake import SINCE
from patients.models import Intake
from patients.models.readings import CHECKIN_SCORES
from patients.scoring import improvement_percent, psfs_score, responder_category
from patients.stepper import phase_stepper
from sessions.models import TreatmentSession

SINCE_LABELS = dict(SINCE)  # how long the pain has lasted, as the intake asked it


UNKNOWN = object()  # the caller does not have the patient's latest note


def story(patient, before, excluding=None, latest=UNKNOWN):
    """The panel's parts beside a note of `patient` started at `before` (the saved note of
    pk `excluding`, or a new one): phase (the stepper's), the earlier note, the latest
    check-in and its change since the intake, the PSFS activities, the intake's complaint,
    how long the pain has lasted and its areas, and the safety flags. `latest` is the
    patient's latest note (or None: they have none), when the caller has it: a new note
    repeats it."""
    summary = getattr(patient, "summary", None)
    intake = (
        patient.intakes.filter(status=Intake.Status.ACCEPTED)
        .values("accepted_at", "answers__pain")
        .first()
    ) or {}
    checkin = patient.checkins.order_by("-taken_on", "-id").values("taken_on", *CHECKIN_SCORES)
    activities = list(patient.psfs_activities.for_story())
    pain = intake.get("answers__pain") or {}
    return {
        "phase": summary and summary.phase,
        "stepper": phase_stepper(summary and summary.phase, summary and summary.phase_started_on),
        "note": earlier_note(patient, before, excluding, latest),
        "checkin": latest_checkin(checkin.first(), summary),
        "psfs": psfs(activities),
        "intake_at": intake.get("accepted_at"),
        "complaint": pain.get("complaint", ""),
        "since": SINCE_LABELS.get(pain.get("since"), ""),
        "areas": [bodymap.LABELS[key] for key in pain.get("regions", []) if key in bodymap.LABELS],
        "flags": patient.safety_flags,
        "safety_notes": patient.safety_notes,
    }


NOTE_FIELDS = ["uuid", "session_number", "status", "assessment", "plan", "started_at"]


def earlier_note(patient, before, excluding, latest=UNKNOWN):
    """The note the panel shows beside one started at `before` (not the note of pk
    `excluding`): the latest signed one started before it, else the latest of any status;
    its number, date, status, assessment, plan and address. None on a first visit. With
    the patient's `latest` note known, there is no query when that one is signed, and
    else the query asks for signed notes only: without the ordering by status it costs
    half as much."""
    signed = TreatmentSession.Status.SIGNED
    earlier = TreatmentSession.objects.filter(patient=patient, started_at__lt=before).exclude(
        pk=excluding
    )
    if latest is UNKNOWN:
        signed_first = Case(When(status=signed, then=Value(0)), default=Value(1))
        note = earlier.order_by(signed_first, "-started_at", "-id").values(*NOTE_FIELDS).first()
    else:
        shown = latest is not None and latest.started_at < before and latest.pk != excluding
        note = None
        if not (shown and latest.status == signed):  # else the latest is the one shown
            signed_notes = earlier.filter(status=signed).order_by("-started_at", "-id")
            note = signed_notes.values(*NOTE_FIELDS).first()
        if note is None and shown:
            note = {name: getattr(latest, name) for name in NOTE_FIELDS}
    if note is None:
        return None
    return {
        "number": note["session_number"],
        "started_at": note["started_at"],
        "signed": note["status"] == TreatmentSession.Status.SIGNED,
        "assessment": note["assessment"],
        "plan": note["plan"],
        "url": reverse(
            "sessions:detail", kwargs={"patient_uuid": patient.uuid, "session_uuid": note["uuid"]}
        ),
    }


def latest_checkin(values, summary):
    """The latest check-in's scores and date, with average pain's change since the intake
    as the summary has it (points, per cent better, IMMPACT category); None without one."""
    if values is None:
        return None
    checkin = dict(values)
    baseline = summary and summary.baseline_pain
    checkin["baseline"] = baseline
    checkin["change"] = None
    if baseline is not None and summary.latest_pain is not None:
        checkin["change"] = {
            "points": baseline - summary.latest_pain,  # positive: better
            "percent": improvement_percent(baseline, summary.latest_pain),
            "category": responder_category(baseline, summary.latest_pain),
        }
    return checkin


def psfs(activities):
    """The activities (name, baseline, latest, change) and their means at intake and at
    the latest check-in (None unless every activity was rated then)."""
    items = [
        {
            "name": activity.name,
            "baseline": activity.baseline,
            "latest": activity.latest,
            "change": (
                activity.latest - activity.baseline
                if activity.latest is not None and activity.baseline is not None
                else None
            ),
        }
        for activity in activities
    ]
    return {"items": items, **means(items)}


def means(items):
    def mean(key):
        values = [item[key] for item in items]
        if not values or None in values:
            return None
        try:
            return psfs_score(values)
        except ValueError:  # fewer than 3 or more than 5 activities: no PSFS score
            return None

    baseline, latest = mean("baseline"), mean("latest")
    change = latest - baseline if baseline is not None and latest is not None else None
    return {"baseline_mean": baseline, "latest_mean": latest, "mean_change": change}
