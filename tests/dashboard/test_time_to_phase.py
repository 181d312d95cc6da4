"""The dashboard's "Time to each phase": Kaplan-Meier curves of the share of patients who
have reached phases 2 and 3, by weeks since intake and by sessions before the phase, for a
small clinic whose numbers are worked out by hand below; the filters, the CSV, the empty
state, bad input, and the query count."""

import csv
import io
import json
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from dashboard.views import months_before
from patients.models import Patient, PatientSummary, PhaseChange
from tests.factories import CheckInFactory, PatientFactory, StartedCourseFactory
from tests.progress_helpers import days_ago
from tests.session_factories import SessionOnDateFactory

pytestmark = pytest.mark.django_db

CSV_URL = reverse("time_to_phase_csv")


def build_clinic(practitioner, second_practitioner):
    """Five patients with a course, and one without (never counted). Days are counted
    from the start of each course; weeks are rounded up (day 14 is week 2, day 17 week 3).

    | patient | started  | phase 2            | phase 3            | sessions | last reading |
    |---------|----------|--------------------|--------------------|----------|--------------|
    | ada     | 100 ago  | day 14, 2 sessions | day 42, 5 sessions | 5        | day 49       |
    | bo      |  60 ago  | day 21, 3 sessions | not yet            | 4        | day 35       |
    | cy      |  50 ago  | not yet            | not yet            | 2        | day 17       |
    | di (Sam)| 200 ago  | day 7, 2 sessions  | day 28, 5 sessions | 5        | day 22       |
    | ed      |  30 ago  | not yet            | not yet            | 0        | day 0        |

    cy is censored before phase 2 (at week 3, after 2 sessions); ed at week 0.
    """
    lin, sam = practitioner, second_practitioner
    plan = {
        # name: (practitioner, start, phase 2 day, phase 3 day, session days, check-in days)
        "ada": (lin, 100, 14, 42, [3, 10, 21, 28, 35], [49]),
        "bo": (lin, 60, 21, None, [2, 9, 16, 23], [35]),
        "cy": (lin, 50, None, None, [3, 10], [17]),
        "di": (sam, 200, 7, 28, [1, 4, 8, 15, 22], []),
        "ed": (lin, 30, None, None, [], []),
    }
    patients = {}
    for name, (by, start, to_2, to_3, sessions, checkins) in plan.items():
        patient = PatientFactory(given_name=name.title(), practitioner=by)
        StartedCourseFactory(patient=patient, accepted_by=by, on=days_ago(start))
        for day in sessions:
            SessionOnDateFactory(patient=patient, practitioner=by, on=days_ago(start - day))
        for day in checkins:
            CheckInFactory(patient=patient, taken_on=days_ago(start - day))
        for phase, day in [(2, to_2), (3, to_3)]:
            if day is not None:
                PhaseChange.objects.create(
                    patient=patient, phase=phase, started_on=days_ago(start - day), changed_by=by
                )
        patients[name] = patient
    PatientFactory(given_name="Fay", practitioner=lin)  # invited: no course
    PatientSummary.objects.refresh_many(Patient.objects.all())  # after the phase changes
    return patients


@pytest.fixture
def clinic(practitioner, second_practitioner):
    return build_clinic(practitioner, second_practitioner)


def curve(result, axis, phase):
    """(time, at risk, reached, censored, percent) rows, and the median."""
    data = result[axis][phase]
    rows = [
        (r["time"], r["at_risk"], r["reached"], r["censored"], r["percent"]) for r in data["rows"]
    ]
    return rows, data["median"]


class TestTheCurvesOfAKnownClinic:
    def test_weeks_to_phase_2(self, clinic):
        # Week 0: ed censored (5 at risk). Week 1: di reaches, 1 of 4: 25 %. Week 2: ada,
        # 1 of 3: 1 - 3/4 x 2/3 = 50 % (the median). Week 3: bo reaches and cy is censored,
        # both at risk: 1 of 2, 1 - 1/2 x 1/2 = 75 %.
        rows, median = curve(PatientSummary.objects.time_to_phase(), "weeks", 2)
        assert rows == [
            (0, 5, 0, 1, 0.0),
            (1, 4, 1, 0, 25.0),
            (2, 3, 1, 0, 50.0),
            (3, 2, 1, 1, 75.0),
        ]
        assert median == 2

    def test_weeks_to_phase_3(self, clinic):
        # Censored: ed week 0, cy week 3, bo week 5 (day 35). di reaches at week 4 (1 of 3:
        # 33.3 %), ada at week 6 (1 of 1: 100 %, the median).
        rows, median = curve(PatientSummary.objects.time_to_phase(), "weeks", 3)
        assert rows == [
            (0, 5, 0, 1, 0.0),
            (3, 4, 0, 1, 0.0),
            (4, 3, 1, 0, 33.3),
            (5, 2, 0, 1, 33.3),
            (6, 1, 1, 0, 100.0),
        ]
        assert median == 6

    def test_sessions_before_phase_2(self, clinic):
        # ed censored at 0 sessions; ada and di reach after 2, cy is censored at 2: 2 of 4,
        # 50 % (the median); bo after 3: 1 of 1, 100 %.
        rows, median = curve(PatientSummary.objects.time_to_phase(), "sessions", 2)
        assert rows == [(0, 5, 0, 1, 0.0), (2, 4, 2, 1, 50.0), (3, 1, 1, 0, 100.0)]
        assert median == 2

    def test_sessions_before_phase_3(self, clinic):
        rows, median = curve(PatientSummary.objects.time_to_phase(), "sessions", 3)
        assert rows == [
            (0, 5, 0, 1, 0.0),
            (2, 4, 0, 1, 0.0),
            (4, 3, 0, 1, 0.0),
            (5, 2, 2, 0, 100.0),
        ]
        assert median == 5

    def test_a_patient_without_a_course_is_not_counted(self, clinic):
        assert PatientSummary.objects.time_to_phase()["patients"] == 5

    def test_the_median_is_none_when_half_never_reach_it(self, clinic):
        cy_and_ed = PatientSummary.objects.filter(patient__given_name__in=["Cy", "Ed"])
        result = cy_and_ed.time_to_phase()
        assert result["weeks"][2]["median"] is None
        assert result["weeks"][2]["rows"][-1]["percent"] == 0.0


class TestFilters:
    def test_my_patients_leaves_out_the_other_practitioners(self, clinic, practitioner):
        # Without di: week 0 ed censored; week 2 ada 1 of 3 (33.3 %); week 3 bo 1 of 2 with
        # cy censored: 1 - 2/3 x 1/2 = 66.7 % (the median).
        rows, median = curve(PatientSummary.objects.time_to_phase(practitioner), "weeks", 2)
        assert rows == [(0, 4, 0, 1, 0.0), (2, 3, 1, 0, 33.3), (3, 2, 1, 1, 66.7)]
        assert median == 3

    def test_a_period_counts_only_the_courses_started_in_it(self, clinic):
        # Three months back: bo, cy and ed (ada started 100 days ago, di 200).
        since = months_before(timezone.localdate(), 3)
        result = PatientSummary.objects.time_to_phase(since=since)
        rows, median = curve(result, "weeks", 2)
        assert result["patients"] == 3
        assert rows == [(0, 3, 0, 1, 0.0), (3, 2, 1, 1, 50.0)]
        assert median == 3

    def test_the_page_follows_the_filters_in_its_url(self, practitioner_client, clinic):
        def patients(query):
            page = practitioner_client.get("/", query).content.decode()
            return int(re.search(r'id="time-to-phase-patients">(\d+)<', page).group(1))

        assert patients({}) == 5
        assert patients({"mine": "1"}) == 4
        assert patients({"months": "3"}) == 3
        assert patients({"months": "6"}) == 4
        assert patients({"months": "12"}) == 5
        assert patients({"months": "3", "mine": "1"}) == 3

    def test_the_links_keep_the_other_filter(self, practitioner_client, clinic):
        page = practitioner_client.get("/", {"mine": "1", "months": "6"}).content.decode()
        assert 'href="/?mine=1&amp;months=12#charts"' in page
        assert 'href="/?months=6">The clinic' in page
        assert f'href="{CSV_URL}?mine=1&amp;months=6"' in page

    @pytest.mark.parametrize("months", ["2", "all", "-3", "3.0"])
    def test_an_unknown_period_is_a_400_that_says_why(self, practitioner_client, months):
        for url in ("/", CSV_URL):
            response = practitioner_client.get(url, {"months": months})
            assert response.status_code == 400
            assert "one of 3, 6 or 12" in response.content.decode()

    @pytest.mark.parametrize(
        ("today", "months", "since"),
        [
            (date(2026, 12, 1), 3, date(2026, 9, 1)),
            (date(2026, 5, 31), 3, date(2026, 2, 28)),
            (date(2026, 2, 15), 12, date(2025, 2, 15)),
            (date(2026, 1, 10), 6, date(2025, 7, 10)),
        ],
    )
    def test_months_before_is_calendar_months(self, today, months, since):
        assert months_before(today, months) == since


class TestThePage:
    def test_it_shows_the_medians_the_table_and_the_data_for_the_charts(
        self, practitioner_client, clinic
    ):
        page = practitioner_client.get("/").content.decode()
        medians = re.sub(
            r"\s+", " ", re.search(r'id="time-to-phase-medians">(.*?)</dl>', page, re.S).group(1)
        )
        assert "2 weeks since intake; 2 sessions before it" in medians
        assert "6 weeks since intake; 5 sessions before it" in medians
        data = json.loads(
            re.search(r'id="time-to-phase-data"[^>]*>(.*?)</script>', page, re.S).group(1)
        )
        assert data["weeks"]["2"] == [[0, 0.0], [1, 25.0], [2, 50.0], [3, 75.0]]
        assert "<summary>Show table</summary>" in page
        assert 'id="time-to-phase-weeks"' in page and 'id="time-to-phase-sessions"' in page

    def test_an_empty_period_explains_itself(self, practitioner_client, practitioner):
        page = practitioner_client.get("/", {"months": "3"}).content.decode()
        assert "No patient has started a course since" in page
        assert "time-to-phase-data" not in page and "<canvas" not in page

    def test_the_csv_is_exactly_the_tables(self, practitioner_client, clinic):
        page = practitioner_client.get("/").content.decode()
        table_rows = []
        for axis in ("weeks", "sessions"):
            table = re.search(rf'id="time-to-phase-{axis}-table">(.*?)</table>', page, re.S).group(
                1
            )
            body = table.split("<tbody>")[1]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
                cells = [re.sub(r"\s*%$", "", c) for c in re.findall(r"<td>(.*?)</td>", row)]
                table_rows.append([axis, *cells])
        response = practitioner_client.get(CSV_URL)
        assert response["Content-Type"].startswith("text/csv")
        today = timezone.localdate().isoformat()
        assert (
            f'filename="time-to-phase-clinic-all-time-{today}.csv"'
            in response["Content-Disposition"]
        )
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0] == [
            "axis",
            "phase",
            "time",
            "at_risk",
            "reached",
            "censored",
            "percent_reached",
        ]
        names = {"weeks since intake": "weeks", "sessions before reaching the phase": "sessions"}
        assert [[names[r[0]], *r[1:]] for r in rows[1:]] == table_rows
        assert len(rows) == 1 + 4 + 5 + 3 + 4

    def test_the_csv_keeps_the_filters_and_names_them(self, practitioner_client, clinic):
        response = practitioner_client.get(CSV_URL, {"mine": "1", "months": "3"})
        assert "time-to-phase-my-patients-3-months-" in response["Content-Disposition"]
        weeks_2 = [
            r
            for r in csv.reader(io.StringIO(response.content.decode()))
            if r[:2] == ["weeks since intake", "2"]
        ]
        assert [r[2:] for r in weeks_2] == [
            ["0", "3", "0", "1", "0.0"],
            ["3", "2", "1", "1", "50.0"],
        ]

    def test_the_csv_holds_no_patient_data_and_so_is_not_audited(self, practitioner_client, clinic):
        from audit.models import AuditEvent

        before = AuditEvent.objects.count()
        text = practitioner_client.get(CSV_URL).content.decode()
        assert AuditEvent.objects.count() == before
        for patient in Patient.objects.all():
            assert patient.given_name not in text and str(patient.uuid) not in text


class TestAccess:
    def test_an_anonymous_visitor_is_sent_to_log_in(self, client):
        response = client.get(CSV_URL)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")

    def test_a_user_without_a_role_is_refused(self, outsider_client):
        assert outsider_client.get(CSV_URL).status_code == 403


@pytest.mark.parametrize("extra", [0, 12])
def test_the_query_count_does_not_grow_with_the_register(
    practitioner_client, practitioner, second_practitioner, django_assert_num_queries, extra
):
    build_clinic(practitioner, second_practitioner)
    for n in range(extra):
        patient = PatientFactory(practitioner=practitioner)
        StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(5 + n))
        if n % 2:
            PhaseChange.objects.create(
                patient=patient, phase=2, started_on=days_ago(n), changed_by=practitioner
            )
    PatientSummary.objects.refresh_many(Patient.objects.all())
    # 1 session, 2 user, 3 permissions, 4 the practitioner's profile, 5 the summaries'
    # aggregate, 6 intakes waiting, 7 sessions before phases 2 and 3, 8 open suggestions,
    # 9 the time to each phase (one union of four GROUP BYs), 10 the phase flow (one union
    # of three), 11 the outcome curves (one union of three).
    with django_assert_num_queries(11):
        practitioner_client.get("/", {"mine": "1", "months": "12"})
    # The CSV: 1 session, 2 user, 3 permissions, 4 the profile, 5 the curves.
    with django_assert_num_queries(5):
        practitioner_client.get(CSV_URL, {"mine": "1"})
