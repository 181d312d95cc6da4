"""`python manage.py bench [--runs N] [--json FILE]`: time the main pages in one process.

Each page is requested N times through the whole middleware stack (Django's test client;
no network), after one warm-up request: as a logged-in practitioner, or for a patient's
link pages, as a visitor who is not logged in. For each:
median and 95th percentile in ms, the ratio of its p95 to the floor view's p95 (a trivial
view behind the same middleware), and its query count. Run it on a seeded database
(`seed_demo --patients N`); the POSTs add a session note and a check-in to it. With
`--explain FILE` it also writes the plans of the slowest SELECTs it saw.
"""

import json
import statistics
import time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.management.commands.seed_demo import is_demo_database
from patients.models import Patient, PatientLink, PatientSummary
from patients.views.links import link_path


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Measure the main pages: median, p95, ratio to a floor view, query count."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30)
        parser.add_argument(
            "--json", dest="json_path", default="bench-results.json", help="results file"
        )
        parser.add_argument("--username", default="lin")
        parser.add_argument(
            "--explain",
            dest="explain_path",
            help="also write the query plans of the slowest SELECTs to this file",
        )

    def handle(self, *args, runs, json_path, username, explain_path=None, **options):
        if runs < 1:
            raise CommandError("--runs must be at least 1")
        if not is_demo_database():
            raise CommandError(
                "The benchmark writes notes and check-ins into a patient's record, and its "
                "query plans show real values: it runs only on a database made by seed_demo."
            )
        user = get_user_model().objects.filter(username=username).first()
        patient = (
            Patient.objects.filter(
                status="active", treatment_sessions__isnull=False, intakes__status="accepted"
            )
            .order_by("pk")
            .first()
        )
        if user is None or patient is None:
            raise CommandError("Seed the database first: python manage.py seed_demo")
        # Plain HTTP in one process: no HTTPS redirect, no secure-only cookies, static file
        # names without a manifest; everything else as configured.
        plain_static = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(
            ROOT_URLCONF="demo.bench_urls",
            BENCH_APP_URLCONF=settings.ROOT_URLCONF,
            ALLOWED_HOSTS=["*"],
            LINK_RATE_LIMIT_PER_MINUTE=10**9,
            SECURE_SSL_REDIRECT=False,
            SESSION_COOKIE_SECURE=False,
            CSRF_COOKIE_SECURE=False,
            STORAGES=plain_static,
        ):
            results = self.measure(user, patient, runs)
        floor = results[0]["p95_ms"]
        for row in results:
            row["ratio_to_floor"] = round(row["p95_ms"] / floor, 1) if floor else None
        self.print_table(results)
        with open(json_path, "w") as file:
            file.write(self.to_json(results, runs))
        self.stdout.write(f"Wrote {json_path}")
        if explain_path:
            with open(explain_path, "w") as file:
                file.write(self.explain(self.slowest))
            self.stdout.write(f"Wrote {explain_path}")

    def to_json(self, results, runs):
        info = {"patients": Patient.objects.count(), "database": connection.vendor, "runs": runs}
        return json.dumps({"info": info, "pages": results}, indent=2)

    def pages(self, patient, user):
        session_form = reverse("sessions:new", kwargs={"patient_uuid": patient.uuid})
        _, checkin_token = PatientLink.issue(patient, PatientLink.Purpose.CHECKIN, by=user)
        invited = Patient.objects.create(
            given_name="Bench", family_name=f"Invitee {time.time()}", status="invited"
        )
        PatientSummary.objects.refresh(invited)
        _, intake_token = PatientLink.issue(invited, PatientLink.Purpose.INTAKE, by=user)
        checkin = {
            "pain_now": 4,
            "pain_average": 4,
            "pain_worst": 6,
            "enjoyment": 3,
            "activity": 3,
            "confidence": 6,
            "active_minutes": 120,
        }
        for activity in patient.psfs_activities.all():
            checkin[f"psfs_{activity.pk}"] = 6
        goals = reverse("intake:step", kwargs={"token": intake_token, "step": "goals"})
        today = timezone.localdate()
        week = (today - timedelta(days=today.weekday(), weeks=3)).isoformat()
        return [
            ("floor view", "get", "/__floor__/", None),
            ("dashboard", "get", reverse("home"), None),
            ("dashboard, my patients", "get", reverse("home") + "?mine=1", None),
            ("dashboard, 3 months", "get", reverse("home") + "?months=3", None),
            ("dashboard, mine, 12 months", "get", reverse("home") + "?mine=1&months=12", None),
            ("dashboard, lower back", "get", reverse("home") + "?region=lower_back", None),
            (
                "dashboard, mine, 6 months, knees",
                "get",
                reverse("home") + "?mine=1&months=6&region=knees",
                None,
            ),
            ("time to phase CSV", "get", reverse("time_to_phase_csv"), None),
            ("phase flow CSV", "get", reverse("phase_flow_csv"), None),
            ("outcome curves CSV", "get", reverse("outcome_curves_csv"), None),
            ("phase week list", "get", f"{reverse('phase_week')}?phase=2&week={week}", None),
            ("patient list", "get", reverse("patients:list"), None),
            ("patient search", "get", reverse("patients:list") + "?q=abbott", None),
            ("patient detail", "get", patient.get_absolute_url(), None),
            ("progress page", "get", reverse("patients:progress", args=[patient.uuid]), None),
            ("log session (GET)", "get", session_form, None),
            ("point search", "get", reverse("point_search") + "?q=liv+3", None),
            ("intake step (POST)", "post", goals, {"goals": "Walk for an hour."}),
            ("check-in (POST)", "post", link_path("checkin", checkin_token), checkin),
            ("log session (POST)", "post", session_form, "session"),
        ]

    def measure(self, user, patient, runs):
        practitioner = Client()
        practitioner.force_login(user)
        # Past the second step of the login, as staff are where CLINIC_REQUIRE_2FA is on;
        # the device is the benchmark's own, removed after it.
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = practitioner.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        try:
            return self.measure_pages(practitioner, patient, user, runs)
        finally:
            device.delete()

    def measure_pages(self, practitioner, patient, user, runs):
        phone = Client()  # a patient's link pages: no login
        results = []
        self.slowest = {}  # SELECT text: (ms, page), from each page's last request
        for name, method, url, data in self.pages(patient, user):
            client = phone if url.startswith("/p/") else practitioner
            timings, queries = [], 0
            for run in range(runs + 1):
                payload = self.session_payload(patient) if data == "session" else data
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = getattr(client, method)(url, payload or {})
                    elapsed = (time.perf_counter() - start) * 1000
                expected = 200 if method == "get" else 302
                if response.status_code != expected:
                    raise CommandError(f"{name}: {url} answered {response.status_code}")
                if run:  # the first request warms caches and is not counted
                    timings.append(elapsed)
                    queries = len(captured)
            for query in captured.captured_queries:
                if query["sql"].startswith("SELECT"):
                    ms = float(query["time"]) * 1000
                    if ms > self.slowest.get(query["sql"], (-1, ""))[0]:
                        self.slowest[query["sql"]] = (ms, name)
            results.append(
                {
                    "page": name,
                    "median_ms": round(statistics.median(timings), 2),
                    "p95_ms": round(percentile(timings, 0.95), 2),
                    "queries": queries,
                }
            )
        return results

    def explain(self, slowest, count=8):
        """The plans of the `count` slowest SELECTs, as Markdown (EXPLAIN ANALYZE on
        PostgreSQL, EXPLAIN QUERY PLAN on SQLite)."""
        if connection.vendor == "postgresql":
            prefix = "EXPLAIN (ANALYZE, BUFFERS)"
        else:
            prefix = "EXPLAIN QUERY PLAN"
        ranked = sorted(slowest.items(), key=lambda item: -item[1][0])[:count]
        parts = [f"# The {len(ranked)} slowest queries of a bench run ({connection.vendor})\n"]
        with connection.cursor() as cursor:
            for sql, (ms, page) in ranked:
                cursor.execute(f"{prefix} {sql}")
                plan = "\n".join(" | ".join(str(col) for col in row) for row in cursor.fetchall())
                parts.append(f"## {page}: {ms:.1f} ms\n\n```sql\n{sql}\n```\n\n```\n{plan}\n```\n")
        return "\n".join(parts)

    def session_payload(self, patient):
        """A repeat of the patient's last session, as the form posts it."""
        last = patient.treatment_sessions.with_points().order_by("-started_at").first()
        rows = list(last.points.all())
        data = {
            "started_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "style": last.style,
            "pain_before": 5,
            "pain_after": 3,
            "needle_diameter_mm": last.needle_diameter_mm,
            "needle_length_mm": last.needle_length_mm,
            "retention_minutes": last.retention_minutes,
            "action": "draft",
            "points-TOTAL_FORMS": len(rows),
            "points-INITIAL_FORMS": 0,
            "adverse-TOTAL_FORMS": 0,
            "adverse-INITIAL_FORMS": 0,
        }
        for index, row in enumerate(rows):
            data[f"points-{index}-point"] = row.point.code
            data[f"points-{index}-side"] = row.side
        return data

    def print_table(self, results):
        self.stdout.write(
            f"{'page':<34}{'median ms':>11}{'p95 ms':>10}{'x floor':>9}{'queries':>9}"
        )
        for row in results:
            self.stdout.write(
                f"{row['page']:<34}{row['median_ms']:>11}{row['p95_ms']:>10}"
                f"{row['ratio_to_floor']:>9}{row['queries']:>9}"
            )
