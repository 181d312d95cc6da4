"""What a load test left in the database, against what the server answered: every note
answered as saved stored, every sign answered as done stored signed, each patient's
check-in holding their last accepted answers."""

from django.utils import timezone

from patients.models import CheckIn
from patients.models.readings import CHECKIN_SCORES
from sessions.models import TreatmentSession


def stored_sessions(marker):
    """The notes whose `subjective` starts with the run's marker: marker -> (patient's
    uuid, pain before, signed)."""
    rows = TreatmentSession.objects.filter(subjective__startswith=marker + " ").values_list(
        "subjective", "patient__uuid", "pain_before", "status"
    )
    signed = TreatmentSession.Status.SIGNED
    return {text: (str(patient), pain, status == signed) for text, patient, pain, status in rows}


def checkins_holding(expected, started):
    """How many patients of `expected` ({patient id: answers}) hold those answers in a
    check-in written since `started`."""
    stored = {
        checkin.patient_id: checkin
        for checkin in CheckIn.objects.filter(
            patient__in=expected,
            taken_on__gte=timezone.localtime(started).date(),
            updated_at__gte=started,
        ).prefetch_related("psfs_ratings")
    }
    return sum(
        1
        for patient, answers in expected.items()
        if patient in stored and holds(stored[patient], answers)
    )


def holds(checkin, answers):
    """Whether a check-in (its PSFS ratings prefetched) holds these posted answers."""
    psfs = {f"psfs_{rating.activity_id}": rating.value for rating in checkin.psfs_ratings.all()}
    mine = {name: getattr(checkin, name) for name in CHECKIN_SCORES}
    return {**mine, **psfs} == answers


def compare_sessions(posted, stored):
    """What became of the notes the server answered as saved (`posted`: the locustfile's
    lines) against the stored ones (`stored`: marker -> (patient, pain before, signed)).
    A note is missing unless stored for its patient with its pain score; a sign answered
    as done is lost unless the note is stored signed."""
    kept = [
        line
        for line in posted
        if stored.get(line["marker"], (None, None))[:2] == (line["patient"], line["pain_before"])
    ]
    done = [line for line in posted if line.get("sign") == "done"]
    signed = [line for line in done if stored.get(line["marker"], (None, None, False))[2]]
    return {
        "posted": len(posted),
        "stored": len(kept),
        "missing": len(posted) - len(kept),
        "signs": sum(1 for line in posted if line.get("sign")),
        "signs_done": len(done),
        "signs_refused": sum(1 for line in posted if line.get("sign") == "refused"),
        "signs_failed": sum(1 for line in posted if line.get("sign") == "failed"),
        "signed_stored": len(signed),
        "lost_signs": len(done) - len(signed),
    }


def check_races(found):
    """The sign races' answers against what the database holds."""
    races = found["races"]
    uuids = [race["note"].rstrip("/").rpartition("/")[2] for race in races if race["note"]]
    stored = {
        str(session.uuid): session
        for session in TreatmentSession.objects.filter(uuid__in=uuids).only(
            "uuid", "status", "subjective"
        )
    }
    for race in races:
        session = stored.get((race["note"] or "").rstrip("/").rpartition("/")[2])
        race["stored_signed"] = bool(session and session.status == TreatmentSession.Status.SIGNED)
        race["stored_text"] = session.subjective if session else None
    done = [race for race in races if race.get("sign") == "done"]
    # A draft save answered as saved must have left its text; a pair where both were
    # answered as done signed a text the signer had not seen (the save came first) or
    # un-signed the note (the sign came first).
    saved = [race for race in races if race.get("draft_saved")]
    return {
        "pairs": len(races),
        "signs_done": len(done),
        "signs_refused": sum(1 for race in races if race.get("sign") == "refused"),
        "signs_failed": sum(1 for race in races if race.get("sign") == "failed"),
        "done_and_signed": sum(1 for race in done if race["stored_signed"]),
        "lost_signs": sum(1 for race in done if not race["stored_signed"]),
        "both_answered_done": sum(1 for race in done if race["draft_saved"]),
        "drafts_saved": len(saved),
        "drafts_lost": sum(1 for race in saved if race["stored_text"] != race["edited"]),
        "server_errors": count_5xx(found["statuses"]),
        "statuses": plain(found["statuses"]),
        "races": races,
    }


def check_load(found, marker, started, seconds, clients):
    """The mixed load's answers against what the database holds."""
    notes = compare_sessions(found["notes"], stored_sessions(marker))
    last = {}
    for line in sorted(found["checkins"], key=lambda line: line["sequence"]):
        last[line["patient"]] = line["answers"]
    holding = checkins_holding(last, started)
    requests = sum(sum(counter.values()) for counter in found["statuses"].values())
    return {
        "clients": clients,
        "seconds": seconds,
        "requests": requests,
        "server_errors": count_5xx(found["statuses"]),
        "failed_connections": sum(counter[0] for counter in found["statuses"].values()),
        "notes": notes,
        "checkins": {
            "posted": len(found["checkins"]),
            "patients": len(last),
            "holding_last_answers": holding,
            "missing": len(last) - holding,
        },
        "statuses": plain(found["statuses"]),
    }


def count_5xx(statuses):
    return sum(n for counter in statuses.values() for status, n in counter.items() if status >= 500)


def plain(statuses):
    """Status counters as JSON: {"note (POST)": {"302": 40, "500": 2}}."""
    return {
        name: {str(status): n for status, n in sorted(counter.items())}
        for name, counter in statuses.items()
    }
