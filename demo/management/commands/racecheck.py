"""`python manage.py racecheck [--pairs 20] [--clients 16] [--seconds 60] [--workers 3]`:
does the record hold when requests meet?

Measures issue 10's "Done when" on a database seed_demo made (PostgreSQL for the real
answer), against gunicorn (debug off, loopback, `--workers`):

(a) Sign races. For each of `--pairs` fresh drafts (written through the app's own
    new-session form by the practitioner `--account`), two browsers logged in as that
    practitioner send, at the same instant (a threading.Barrier), a draft save of the note
    (`.../edit/`, action draft, its text changed) and a sign (`.../sign/`). A sign counts
    as done when it answered 302 to the note and the note's page then shows the signed
    message and no error. Afterwards every note whose sign was done must be signed in the
    database ("lost" otherwise), and every draft save answered as saved must have left
    its text, unless the note was then signed from the text before it.
(b) Mixed load. `--clients` practitioners' browsers (the demo accounts in turn) save draft
    notes, signing one in four, and post patients' check-ins, all for the same three
    patients, for `--seconds`. One check-in a patient is in flight at a time (one phone
    each); a client that finds all three busy saves a note instead. Every 5xx (and every
    failed connection) is an error; every note answered as saved must be stored by its
    marker text, every sign answered as done stored signed, and each patient's check-in
    for today must hold the answers of their last accepted post.

Prints a table, writes the figures to `--json`, and keeps gunicorn's output (the
tracebacks of any 5xx) in `--server-log`. Loopback only, standard library only; every
loop is bounded by a count or the deadline.
"""

import collections
import functools
import json
import random
import tempfile
import threading
import time
import uuid
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from demo.loadtest.browser import (
    Browser,
    alerts,
    form_fields,
    is_session_address,
    session_fields,
    sign_done,
    sign_fields,
    together,
)
from demo.loadtest.server import serve
from demo.loadtest.stored import check_load, check_races
from demo.management.commands.seed_demo import DEMO_PASSWORD, is_demo_database
from patients.models import Intake, Patient, PatientLink
from patients.models.readings import CHECKIN_SCORES
from patients.views.links import link_path
from sessions.models import TreatmentSession

SIGN_SHARE = 0.25  # of the notes saved under load, the share then signed
CHECKIN_SHARE = 0.5  # of the mixed load's rounds, the share spent on a check-in


class Command(BaseCommand):
    help = "Sign races and mixed note/check-in load against gunicorn: lost signs and 5xx."

    def add_arguments(self, parser):
        parser.add_argument("--pairs", type=int, default=20, help="draft-save/sign pairs")
        parser.add_argument(
            "--sign-delay-ms",
            type=int,
            default=0,
            help="send each pair's sign this long after its draft save (0: together), "
            "to see the other order win",
        )
        parser.add_argument("--clients", type=int, default=16, help="clients in the mixed load")
        parser.add_argument("--seconds", type=int, default=60, help="length of the mixed load")
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
        parser.add_argument("--account", default="lin", help="practitioner of the sign races")
        parser.add_argument("--accounts", default="lin,sam", help="practitioners of the mixed load")
        parser.add_argument("--password", default=DEMO_PASSWORD, help="their password")
        parser.add_argument("--json", dest="json_path", default="racecheck-results.json")
        parser.add_argument(
            "--server-log", default="racecheck-server.log", help="gunicorn's output"
        )

    def handle(self, *args, pairs, clients, seconds, workers, account, accounts, password,
               json_path, server_log, sign_delay_ms, **options):  # fmt: skip
        if min(pairs, clients, seconds, workers) < 1:
            raise CommandError("--pairs, --clients, --seconds and --workers must be at least 1")
        if not is_demo_database():
            raise CommandError(
                "The race check writes notes and check-ins into patients' records: it runs "
                "only on a database made by seed_demo."
            )
        usernames = [name.strip() for name in accounts.split(",") if name.strip()]
        users = get_user_model().objects.filter(username__in={account, *usernames})
        if users.count() != len({account, *usernames}):
            raise CommandError(f"Seed the database first (no account among {usernames})")
        patients = self.three_patients()
        links = self.issue_links(patients, users.get(username=account))
        self.run_id = uuid.uuid4().hex[:12]
        started = timezone.now()
        try:
            with tempfile.TemporaryDirectory(prefix="racecheck-") as work:
                self.stdout.write(f"Starting gunicorn ({workers} workers)...")
                with serve(Path(work), workers, Path(server_log)) as (_, host):
                    self.host = host
                    self.stdout.write(f"(a) {pairs} draft-save/sign pairs at {host}...")
                    races = self.sign_races(patients, pairs, account, password, sign_delay_ms)
                    self.stdout.write(f"(b) {clients} clients for {seconds} s...")
                    load = self.mixed_load(patients, links, clients, seconds, usernames, password)
        finally:
            PatientLink.objects.filter(pk__in=[link["id"] for link in links]).update(
                revoked_at=timezone.now()
            )
        results = {
            "info": {
                "database": connection.vendor,
                "workers": workers,
                "sign_delay_ms": sign_delay_ms,
                "started": started.isoformat(),
                "patients": [str(patient.uuid) for patient in patients],
            },
            "sign_races": check_races(races),
            "mixed_load": check_load(load, f"Race {self.run_id} load", started, seconds, clients),
        }
        self.print_report(results)
        Path(json_path).write_text(json.dumps(results, indent=2))
        self.stdout.write(f"Wrote {json_path}; gunicorn's output is in {server_log}")

    # Setting up

    def three_patients(self):
        """Three active patients a note can be signed for: one signed note already (so the
        red-flag review of the first note is not in the way), no unreviewed red flags, no
        flag that asks for an acknowledgement or refuses a note."""
        unreviewed = Intake.objects.filter(
            patient=OuterRef("pk"), has_red_flags=True, red_flag_review__isnull=True
        )
        signed = TreatmentSession.objects.filter(
            patient=OuterRef("pk"), status=TreatmentSession.Status.SIGNED
        )
        chosen = list(
            Patient.objects.filter(
                Exists(signed),
                ~Exists(unreviewed),
                status=Patient.Status.ACTIVE,
                pregnant=False,
                implanted_device=False,
                intakes__status="accepted",
            )
            .distinct()
            .order_by("pk")[:3]
        )
        if len(chosen) < 3:
            raise CommandError("Fewer than three patients fit; seed more: seed_demo --patients 50")
        return chosen

    def issue_links(self, patients, practitioner):
        links = []
        with transaction.atomic():
            for patient in patients:
                link, token = PatientLink.issue(
                    patient, PatientLink.Purpose.CHECKIN, by=practitioner
                )
                url = link_path("checkin", token)
                links.append({"id": link.pk, "patient": patient.pk, "url": url})
        return links

    def browser(self, username, password):
        browser = Browser(self.host)
        if not browser.log_in(reverse("login"), username, password):
            raise CommandError(f"{username} could not log in (password?)")
        return browser

    def new_session(self, browser, patient, marker, pain, statuses):
        """Save a draft through the new-session form: the note's address, or None."""
        new = reverse("sessions:new", kwargs={"patient_uuid": patient.uuid})
        status, _, page = browser.get(new)
        statuses["note form"][status] += 1
        if status != 200:
            return None
        status, location, _ = browser.post(new, session_fields(page, marker, pain))
        statuses["note (POST)"][status] += 1
        if status != 302 or not is_session_address(location, new.removesuffix("new/")):
            return None
        return location.partition("?")[0]

    def sign(self, browser, session, fields, statuses, delay=0):
        """POST the sign form read from the sign review (after `delay` seconds); then read
        the page: "done", "refused" (the review, shown again, says why) or "failed"."""
        time.sleep(delay)
        status, location, page = browser.post(session + "sign/", fields)
        statuses["sign (POST)"][status] += 1
        if status in (400, 409):
            return "refused", status, [text for level, text in alerts(page) if level == "danger"]
        if status != 302 or location != session:
            return "failed", status, []
        status, _, page = browser.get(session)
        statuses["note page"][status] += 1
        outcome = "done" if status == 200 and sign_done(page) else "refused"
        return outcome, 302, [text for level, text in alerts(page) if level == "danger"]

    # (a) Sign races

    def sign_races(self, patients, pairs, account, password, delay_ms):
        saver, signer = self.browser(account, password), self.browser(account, password)
        statuses = collections.defaultdict(collections.Counter)
        races = []
        for index in range(pairs):
            patient = patients[index % len(patients)]
            marker = f"Race {self.run_id} note {index}"
            session = self.new_session(saver, patient, marker, random.randint(0, 10), statuses)
            if session is None:
                races.append({"pair": index, "note": None, "error": "draft not saved"})
                continue
            status, _, edit_page = saver.get(session + "edit/")
            status_detail, _, detail_page = signer.get(session + "sign/")  # the sign review
            if status != 200 or status_detail != 200:
                races.append({"pair": index, "note": session, "error": "pages not shown"})
                continue
            edited = f"{marker} edited"
            draft = {**form_fields(edit_page, "session-form"), "action": "draft"}
            draft["subjective"] = edited
            sign_form = sign_fields(detail_page)
            answers, times = together(
                draft=functools.partial(saver.post, session + "edit/", draft),
                sign=functools.partial(
                    self.sign, signer, session, sign_form, statuses, delay=delay_ms / 1000
                ),
            )
            draft_status, draft_location, draft_page = answers.get("draft", (0, "", ""))
            statuses["draft save (race)"][draft_status] += 1
            outcome, sign_status, errors = answers.get("sign", ("failed", 0, []))
            races.append({
                "pair": index, "note": session, "marker": marker, "edited": edited,
                "draft_status": draft_status, "draft_saved": draft_status == 302
                and draft_location.partition("?")[0] == session,
                "draft_messages": [text for _, text in alerts(draft_page)],
                "draft_ms": times.get("draft"), "sign_ms": times.get("sign"),
                "sign_status": sign_status, "sign": outcome, "sign_errors": errors,
            })  # fmt: skip
        return {"races": races, "statuses": statuses}

    # (b) Mixed load

    def mixed_load(self, patients, links, clients, seconds, usernames, password):
        browsers = [self.browser(usernames[n % len(usernames)], password) for n in range(clients)]
        statuses = collections.defaultdict(collections.Counter)
        counting = threading.Lock()
        phones = {link["patient"]: threading.Lock() for link in links}
        notes, checkins = [], []
        sequence = iter(range(10**9))
        deadline = time.monotonic() + seconds
        start = threading.Barrier(clients, timeout=60)

        def client(number, browser):
            mine = collections.defaultdict(collections.Counter)
            rng = random.Random(number)
            start.wait()
            for round_ in range(10**6):  # bounded; the deadline ends it long before
                if time.monotonic() >= deadline:
                    break
                if rng.random() < CHECKIN_SHARE and self.check_in(
                    links, phones, rng, mine, checkins, sequence
                ):
                    continue
                patient = rng.choice(patients)
                marker = f"Race {self.run_id} load {number}-{round_}"
                pain = rng.randint(0, 10)
                line = self.load_session(browser, patient, marker, pain, rng, mine)
                if line is not None:
                    notes.append(line)
            with counting:
                for name, counter in mine.items():
                    statuses[name].update(counter)

        threads = [
            threading.Thread(target=client, args=(number, browser))
            for number, browser in enumerate(browsers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=seconds + 300)
        return {"notes": notes, "checkins": checkins, "statuses": statuses}

    def load_session(self, browser, patient, marker, pain, rng, statuses):
        """A draft saved (and one in four signed): the line to check it by, or None."""
        session = self.new_session(browser, patient, marker, pain, statuses)
        if session is None:
            return None
        line = {"marker": marker, "patient": str(patient.uuid), "pain_before": pain, "sign": None}
        if rng.random() < SIGN_SHARE:
            status, _, page = browser.get(session + "sign/")
            statuses["sign review"][status] += 1
            line["sign"] = "failed"
            if status == 200:
                line["sign"] = self.sign(browser, session, sign_fields(page), statuses)[0]
        return line

    def check_in(self, links, phones, rng, statuses, checkins, sequence):
        """One check-in by a patient whose phone is free; False when all three are busy."""
        for link in rng.sample(links, len(links)):
            phone_lock = phones[link["patient"]]
            if not phone_lock.acquire(blocking=False):
                continue
            try:
                phone = Browser(self.host)
                status, _, page = phone.get(link["url"])
                statuses["check-in form"][status] += 1
                if status != 200:
                    return True
                fields = form_fields(page)
                answers = {name: rng.randint(0, 10) for name in CHECKIN_SCORES}
                answers["active_minutes"] = rng.randint(0, 600)
                answers.update(
                    {name: rng.randint(0, 10) for name in fields if name.startswith("psfs_")}
                )
                status, location, _ = phone.post(link["url"], {**fields, **answers})
                statuses["check-in (POST)"][status] += 1
                if status == 302 and location == link["url"] + "thanks/":  # to the thank-you page
                    checkins.append(
                        {"patient": link["patient"], "sequence": next(sequence), "answers": answers}
                    )
                return True
            finally:
                phone_lock.release()
        return False

    def print_report(self, results):
        races, load = results["sign_races"], results["mixed_load"]
        rows = [
            ("(a) draft-save/sign pairs", races["pairs"]),
            ("    signs answered done", races["signs_done"]),
            ("    ... and signed in the database", races["done_and_signed"]),
            ("    lost signs (done, stored as draft)", races["lost_signs"]),
            ("    both answered done", races["both_answered_done"]),
            ("    signs refused / failed", f"{races['signs_refused']} / {races['signs_failed']}"),
            ("    draft saves answered saved", races["drafts_saved"]),
            ("    ... whose text was lost", races["drafts_lost"]),
            ("    5xx", races["server_errors"]),
            (f"(b) {load['clients']} clients, {load['seconds']} s: requests", load["requests"]),
            ("    5xx", load["server_errors"]),
            ("    failed connections", load["failed_connections"]),
            ("    notes answered saved", load["notes"]["posted"]),
            ("    ... stored", load["notes"]["stored"]),
            ("    ... missing", load["notes"]["missing"]),
            ("    signs done", load["notes"]["signs_done"]),
            ("    ... lost (stored as draft)", load["notes"]["lost_signs"]),
            ("    check-ins accepted", load["checkins"]["posted"]),
            ("    patients holding their last check-in", load["checkins"]["holding_last_answers"]),
            ("    ... of patients checked in", load["checkins"]["patients"]),
        ]  # fmt: skip
        for name, value in rows:
            self.stdout.write(f"{name:<48}{value!s:>10}")
        for part in ("sign_races", "mixed_load"):
            for name, counter in results[part]["statuses"].items():
                self.stdout.write(f"  {part} {name}: {counter}")
