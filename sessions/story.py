"""The patient's story beside the note (issue 15): what the session form's side panel
shows, from two queries whatever the patient's history: the patient with their summary,
accepted intake, latest check-in and earlier note (Patient.objects.for_story), and their
PSFS activities with the ratings at intake and latest (PsfsActivity.objects.for_story)."""

import uuid
from datetime import date

from django.urls import reverse

from patients import bodymap
from patients.forms.intake import SINCE
from patients.models import Patient
from patients.scoring import improvement_percent, psfs_score, responder_category
from patients.stepper import phase_stepper

SINCE_LABELS = dict(SINCE)  # how long the pain has lasted, as the intake asked it


def story(patient, before, excluding=None):
    """The panel's parts beside a note of `patient` started at `before` (the saved note of
    pk `excluding`, or a new one): phase (the stepper's), the earlier note, the latest
    check-in and its change since the intake, the PSFS activities, the intake's complaint,
    how long the pain has lasted and its areas, and the safety flags."""
    row = Patient.objects.for_story(before, excluding).get(pk=patient.pk)
    summary = getattr(row, "summary", None)
    activities = list(row.psfs_activities.for_story())
    pain = row.story_pain or {}
    return {
        "phase": summary and summary.phase,
        "stepper": phase_stepper(summary and summary.phase, summary and summary.phase_started_on),
        "note": earlier_note(row),
        "checkin": latest_checkin(row.story_checkin, summary),
        "psfs": psfs(activities),
        "intake_at": row.story_intake_at,
        "complaint": pain.get("complaint", ""),
        "since": SINCE_LABELS.get(pain.get("since"), ""),
        "areas": [bodymap.LABELS[key] for key in pain.get("regions", []) if key in bodymap.LABELS],
        "flags": row.safety_flags,
        "safety_notes": row.safety_notes,
    }


def earlier_note(row):
    """The earlier note's number, date, status, assessment, plan and address; None on a
    first visit."""
    if row.story_note is None:
        return None
    note_uuid = uuid.UUID(str(row.story_note_uuid))
    return {
        "number": row.story_note["number"],
        "started_at": row.story_note_at,
        "signed": row.story_note["status"] == "signed",
        "assessment": row.story_note["assessment"],
        "plan": row.story_note["plan"],
        "url": reverse(
            "sessions:detail", kwargs={"patient_uuid": row.uuid, "session_uuid": note_uuid}
        ),
    }


def latest_checkin(values, summary):
    """The latest check-in's scores and date, with average pain's change since the intake
    as the summary has it (points, per cent better, IMMPACT category); None without one."""
    if values is None:
        return None
    checkin = {**values, "taken_on": date.fromisoformat(values["taken_on"])}
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
