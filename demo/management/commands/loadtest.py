"""`python manage.py loadtest [--users 16] [--seconds 60] [--workers 2] [--patients N]`:
the app under load.

Starts gunicorn on a free loopback port with debug off and the same database, drives it
with locust (headless, clinic/loadtest/locustfile.py) and reports requests per second,
p95, errors, whether every posted check-in and every saved note was stored, and the peak
memory of a worker. Run it on a seeded database (`seed_demo --patients N`); it adds
check-in links, check-ins and treatment notes to it. Needs locust: `pip install '.[load]'`
(`make loadtest` does it). `--patients 3` puts every check-in and note on the same three
patients, the busiest a record gets.

Checking the check-ins: each patient checks in at most once a day, and a second
check-in the same day replaces the first. So the command issues a link to each of a pool
of active patients (noting which already checked in today), and the locustfile posts
for one pool patient at a time, logging each check-in the server accepted. Afterwards:
- the CheckIn table grew by the number of posted patients who had no check-in today;
- each posted patient's check-in for today holds the answers of their last logged post
  (PSFS ratings included), written during the run;
- every accepted post left its "check-in" audit event (earlier posts for a patient are
  replaced by later ones, as designed; the audit trail shows each one went through).

Checking the notes: the practitioners write notes for the same pool of patients, each a
draft with a marker text of its own in `subjective`, and sign one in four. The locustfile
logs each note the server answered as saved; afterwards each logged note must be stored
(found by its marker) for its patient with the pain score posted, and each whose sign was
answered as done must be signed.

The peak memory of a worker is the largest VmHWM (the kernel's peak resident set) of the
gunicorn master's children, read from /proc every half second.
"""

import importlib.util
import json
import os
import random
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from demo.loadtest.server import WorkerMemory, serve
from demo.loadtest.stored import checkins_holding, compare_sessions, stored_sessions
from demo.management.commands.seed_demo import DEMO_PASSWORD, is_demo_database
from patients.models import CheckIn, Patient, PatientLink
from patients.views.links import link_path

LOCUSTFILE = Path(__file__).resolve().parents[2] / "loadtest" / "locustfile.py"
POINT_QUERIES = ["LIV 3", "ST36", "LI4", "SP6", "zusanli", "hegu", "GB", "PC6"]


class Command(BaseCommand):
    help = "Load-test the app under gunicorn with locust: throughput, p95, errors, memory."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=16, help="concurrent locust users")
        parser.add_argument("--seconds", type=int, default=60, help="how long to run")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument(
            "--patients",
            "--pool",
            dest="pool",
            type=int,
            default=2000,
            help="patients the check-ins and notes are for (at most; default 2000)",
        )
        parser.add_argument(
            "--accounts", default="lin,sam", help="practitioners who log in, comma-separated"
        )
        parser.add_argument("--password", default=DEMO_PASSWORD, help="their password")
        parser.add_argument(
            "--json", dest="json_path", default="loadtest-results.json", help="results file"
        )

    def handle(self, *args, users, seconds, workers, pool, accounts, password, json_path, **opts):
        if min(users, seconds, workers, pool) < 1:
            raise CommandError("--users, --seconds, --workers and --patients must be at least 1")
        if not is_demo_database():
            raise CommandError(
                "The load test posts check-ins into patients' records: it runs only on a "
                "database made by seed_demo."
            )
        if importlib.util.find_spec("locust") is None:
            raise CommandError("locust is not installed: pip install '.[load]' (make loadtest)")
        usernames = [name.strip() for name in accounts.split(",") if name.strip()]
        known = get_user_model().objects.filter(username__in=usernames)
        if known.count() != len(usernames):
            raise CommandError(f"Seed the database first (no account among {usernames})")
        with tempfile.TemporaryDirectory(prefix="loadtest-") as work:
            work = Path(work)
            plan = self.plan(known.first(), pool)
            marker = f"Load test {uuid.uuid4().hex[:12]}"
            data = {
                "accounts": [{"username": name, "password": password} for name in usernames],
                **{key: plan[key] for key in ("pages", "patients", "searches", "points")},
                "checkins": [
                    {"id": index, "url": url} for index, (url, _, _) in enumerate(plan["links"])
                ],
                "notes": plan["notes"],
                "marker": marker,
                "posted_path": str(work / "posted.jsonl"),
                "notes_path": str(work / "notes.jsonl"),
                "stats_path": str(work / "stats.json"),
            }
            (work / "data.json").write_text(json.dumps(data))
            counted_before = CheckIn.objects.count()
            started = timezone.now()
            try:
                stats, peak_kb = self.run_load(work, users, seconds, workers)
            finally:  # the links it issued end with it
                PatientLink.objects.filter(pk__in=plan["link_ids"]).update(
                    revoked_at=timezone.now()
                )
            checkins = self.check_checkins(plan["links"], work, counted_before, started)
            notes = self.check_sessions(work, marker)
        results = self.summarise(stats, peak_kb, checkins, notes, users, seconds, workers)
        self.print_report(results)
        Path(json_path).write_text(json.dumps(results, indent=2))
        self.stdout.write(f"Wrote {json_path}")
        problems = []
        if results["errors"]:
            problems.append(f"{results['errors']} errors")
        if checkins["missing"]:
            problems.append(f"{checkins['missing']} posted check-ins not stored")
        if notes["missing"]:
            problems.append(f"{notes['missing']} saved notes not stored")
        if notes["lost_signs"]:
            problems.append(f"{notes['lost_signs']} notes signed but stored unsigned")
        if problems:
            raise CommandError("Load test failed: " + ", ".join(problems))

    def plan(self, practitioner, pool):
        """Links for a pool of active patients, their new-session pages, pages to browse,
        things to search for."""
        eligible = list(
            Patient.objects.filter(status=Patient.Status.ACTIVE, intakes__status="accepted")
            .values_list("pk", flat=True)
            .distinct()
        )
        if not eligible:
            raise CommandError(
                "No active patient with an accepted intake. Seed: seed_demo --patients N"
            )
        chosen = random.sample(eligible, min(pool, len(eligible)))
        patients = Patient.objects.filter(pk__in=chosen).order_by("pk")
        today = timezone.localdate()
        checked_in = set(
            CheckIn.objects.filter(patient__in=chosen, taken_on=today).values_list(
                "patient_id", flat=True
            )
        )
        # Patients who have not checked in today first, so the run adds rows before it
        # replaces any; in random order.
        order = sorted(patients, key=lambda patient: (patient.pk in checked_in, random.random()))
        links, link_ids = [], []
        with transaction.atomic():
            for patient in order:
                link, token = PatientLink.issue(
                    patient, PatientLink.Purpose.CHECKIN, by=practitioner
                )
                link_ids.append(link.pk)
                links.append((link_path("checkin", token), patient.pk, patient.pk in checked_in))
        browsed = [
            {
                "detail": patient.get_absolute_url(),
                "progress": reverse("patients:progress", args=[patient.uuid]),
                "session_new": reverse("sessions:new", kwargs={"patient_uuid": patient.uuid}),
            }
            for patient in patients[:200]
        ]
        notes = []
        for patient in patients:
            new = reverse("sessions:new", kwargs={"patient_uuid": patient.uuid})
            notes.append({"uuid": str(patient.uuid), "new": new, "notes": new.removesuffix("new/")})
        names = Patient.objects.values_list("family_name", flat=True).distinct()[:40]
        return {
            "links": links,
            "link_ids": link_ids,
            "notes": notes,
            "patients": browsed,
            "searches": sorted({name[:4].lower() for name in names if name}) or ["a"],
            "points": POINT_QUERIES,
            "pages": {
                "login": reverse("login"),
                "home": reverse("home"),
                "patient_list": reverse("patients:list"),
                "point_search": reverse("point_search"),
            },
        }

    def run_load(self, work, users, seconds, workers):
        self.stdout.write("Collecting static files...")
        with serve(work, workers) as (server, host):
            memory = WorkerMemory(server.pid)
            memory.start()
            try:
                self.stdout.write(
                    f"Running locust: {users} users for {seconds} s against gunicorn "
                    f"({workers} workers) at {host}..."
                )
                with open(work / "locust.log", "w") as locust_log:
                    finished = subprocess.run(
                        [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless"]
                        + ["--users", str(users), "--spawn-rate", str(users)]
                        + ["--run-time", f"{seconds}s", "--stop-timeout", "30"]
                        + ["--host", host, "--only-summary"],
                        env={
                            **os.environ,
                            "LOADTEST_DATA": str(work / "data.json"),
                            "PYTHONPATH": str(settings.BASE_DIR),  # demo.loadtest.browser
                        },
                        stdout=locust_log,
                        stderr=subprocess.STDOUT,
                        timeout=seconds + 120,
                    )
            finally:
                memory.stop()
            stats_file = work / "stats.json"
            if not stats_file.exists():
                tail = (work / "locust.log").read_text()[-3000:]
                raise CommandError(f"locust exited {finished.returncode} without stats:\n{tail}")
            stats = json.loads(stats_file.read_text())
            if stats["failures"]:
                self.stderr.write("Server log (last lines):")
                self.stderr.write((work / "gunicorn.log").read_text()[-3000:])
            return stats, memory.peak_kb

    def check_checkins(self, links, work, counted_before, started):
        """Compare the check-ins locust logged as accepted with what the database holds."""
        posted_file = work / "posted.jsonl"
        posted = [json.loads(line) for line in posted_file.open()] if posted_file.exists() else []
        last = {}
        for line in sorted(posted, key=lambda line: line["sequence"]):
            last[line["link"]] = line["answers"]
        expected = {links[index][1]: answers for index, answers in last.items()}
        new_patients = sum(1 for index in last if not links[index][2])
        holding = checkins_holding(expected, started)
        audited = AuditEvent.objects.filter(
            action=AuditEvent.Action.CHANGE, detail="check-in", at__gte=started
        ).count()
        added = CheckIn.objects.count() - counted_before
        return {
            "posted": len(posted),
            "patients": len(expected),
            "holding_last_answers": holding,
            "new_rows_expected": new_patients,
            "new_rows_stored": added,
            "audited": audited,
            "missing": (len(expected) - holding)
            + max(0, new_patients - added)
            + max(0, len(posted) - audited),
        }

    def check_sessions(self, work, marker):
        """Compare the notes locust logged as saved with the notes holding the run's marker."""
        posted_file = work / "notes.jsonl"
        posted = [json.loads(line) for line in posted_file.open()] if posted_file.exists() else []
        stored = stored_sessions(marker)
        return compare_sessions(posted, stored)

    def summarise(self, stats, peak_kb, checkins, notes, users, seconds, workers):
        total = stats["total"]
        posts = sum(row["requests"] for row in stats["pages"] if row["name"] == "check-in (POST)")
        return {
            "info": {
                "database": connection.vendor,
                "patients": Patient.objects.count(),
                "users": users,
                "seconds": seconds,
                "workers": workers,
                "cpus": os.cpu_count(),
            },
            "requests": total["requests"],
            "requests_per_second": total["rps"],
            "median_ms": total["median_ms"],
            "p95_ms": total["p95_ms"],
            "errors": total["failures"],
            "checkin_post_share": round(posts / total["requests"], 3) if total["requests"] else 0,
            "checkins": checkins,
            "notes": notes,
            "peak_worker_rss_mb": round(max(peak_kb.values(), default=0) / 1024, 1),
            "worker_rss_mb": sorted(round(kb / 1024, 1) for kb in peak_kb.values()),
            "pages": stats["pages"],
            "total": total,
            "failures": stats["failures"],
        }

    def print_report(self, results):
        self.stdout.write(
            f"{'request':<22}{'count':>8}{'errors':>8}{'req/s':>8}{'median ms':>11}{'p95 ms':>9}"
        )
        for row in [*results["pages"], results["total"]]:
            self.stdout.write(
                f"{row['name']:<22}{row['requests']:>8}{row['failures']:>8}{row['rps']:>8}"
                f"{row['median_ms']:>11}{row['p95_ms']:>9}"
            )
        for failure in results["failures"]:
            self.stdout.write(f"error: {failure['name']}: {failure['error']} x{failure['count']}")
        info, checkins, notes = results["info"], results["checkins"], results["notes"]
        self.stdout.write(
            f"{info['users']} users, {info['seconds']} s, {info['workers']} workers, "
            f"{info['patients']} patients ({info['database']}, {info['cpus']} CPUs)\n"
            f"Requests/s {results['requests_per_second']}, p95 {results['p95_ms']} ms, "
            f"errors {results['errors']}, check-in POSTs {results['checkin_post_share']:.0%}\n"
            f"Check-ins posted {checkins['posted']} for {checkins['patients']} patients: "
            f"{checkins['holding_last_answers']} hold their last answers, "
            f"{checkins['new_rows_stored']} new rows for {checkins['new_rows_expected']} "
            f"expected, {checkins['audited']} audited, missing {checkins['missing']}\n"
            f"Notes saved {notes['posted']}: {notes['stored']} stored, missing "
            f"{notes['missing']}; signs {notes['signs']}: {notes['signs_done']} done, "
            f"{notes['signs_refused']} refused, {notes['signs_failed']} failed, "
            f"{notes['signed_stored']} done and stored signed, lost {notes['lost_signs']}\n"
            f"Peak worker RSS {results['peak_worker_rss_mb']} MB "
            f"(each worker: {results['worker_rss_mb']})"
        )
