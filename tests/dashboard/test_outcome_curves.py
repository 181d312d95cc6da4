"""The dashboard's "Outcomes by week of care": average pain's reduction from the intake,
the PSFS mean's change and the share active at least 150 minutes, by week since the course
started, for a small clinic whose numbers are worked out by hand below and for the demo
clinic against a plain recomputation from the raw readings; the weekly rows kept by every
write; the filters (practitioner, period, body region), the CSV, the empty state, bad input
and the query count."""

import csv
import io
import random
import statistics
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from patients import bodymap
from patients.models import OutcomeReading, OutcomeWeek, Patient, PatientSummary, PhaseChange
from patients.models.outcomes import curves, quartiles
from tests.factories import CheckInFactory, PatientFactory, StartedCourseFactory
from tests.html import page_text, script_data, table_rows
from tests.progress_helpers import today

pytestmark = pytest.mark.django_db

CSV_URL = reverse("outcome_curves_csv")
LOWER_BACK = bodymap.PART_BITS["lower_back"]
KNEES = bodymap.PART_BITS["knees"]


def started(weeks_ago):
    """The course start of the hand-built clinic: a Monday, `weeks_ago` weeks back."""
    now = today()
    return now - timedelta(days=now.weekday(), weeks=weeks_ago)


def build_clinic(practitioner, second_practitioner):
    """Six patients whose course started ten weeks ago (baseline average pain 8, PSFS 3;
    F's pain 0), with check-ins in week 1 (days 7-13) and week 2:

    | patient   | region     | week 1: pain, PSFS, minutes | reduction, PSFS change, >= 150 |
    |-----------|------------|-----------------------------|--------------------------------|
    | A         | lower back | 2 (day 7), then 8 (day 9)   | 0 %  (the week's last counts)  |
    |           |            | 3, 200                      | 0,    yes                      |
    | B         | lower back | 6, 4, 100                   | 25 %, 1,   no                  |
    | C         | lower back | 4, 5, 150                   | 50 %, 2,   yes                 |
    | D         | knees      | 4, 5.4, 0                   | 50 %, 2.4, no                  |
    | E (Sam's) | knees      | 2, 7, 300; phase 2 on day 7 | 75 %, 4,   yes                 |
    | F         | knees      | 3, pain baseline 0          | no per cent from a 0: no row   |

    Week 1, all patients: pain 0, 25, 50, 50, 75 -> quartiles 25, 50, 50; PSFS 0, 1, 2, 2.4,
    4 -> 1, 2, 2.4; active 3 of 5 = 60 %. By phase: phase 1 has four patients and phase 2
    one, so neither is drawn. Week 2: four patients (A-D, pain 4): not drawn.
    """
    lin, sam = practitioner, second_practitioner
    plan = {
        # name: (practitioner, region, baseline pain, [(day, pain, psfs, minutes)])
        "a": (lin, LOWER_BACK, 8, [(7, 2, None, None), (9, 8, 3, 200)]),
        "b": (lin, LOWER_BACK, 8, [(8, 6, 4, 100)]),
        "c": (lin, LOWER_BACK, 8, [(8, 4, 5, 150)]),
        "d": (lin, KNEES, 8, [(8, 4, "5.4", 0)]),
        "e": (sam, KNEES, 8, [(13, 2, 7, 300)]),
        "f": (lin, KNEES, 0, [(8, 3, None, None)]),
    }
    patients = {}
    for name, (by, region, pain, checkins) in plan.items():
        patient = PatientFactory(given_name=name.title(), practitioner=by)
        StartedCourseFactory(
            patient=patient,
            accepted_by=by,
            on=started(10),
            pain_regions=region,
            baseline__pain_average=pain,
        )
        for day, pain, psfs, minutes in checkins:
            measures = {"psfs": psfs, "active_minutes": minutes}
            CheckInFactory(
                patient=patient,
                taken_on=started(10) + timedelta(days=day),
                pain_average=pain,
                **{k: v for k, v in measures.items() if v is not None},
            )
        patients[name] = patient
    PhaseChange.objects.create(
        patient=patients["e"], phase=2, started_on=started(9), changed_by=sam
    )
    PatientSummary.objects.refresh(patients["e"])
    for name in "abcd":
        CheckInFactory(patient=patients[name], taken_on=started(8) + timedelta(days=1))
    return patients


@pytest.fixture
def clinic(practitioner, second_practitioner):
    return build_clinic(practitioner, second_practitioner)


def week(curve, number):
    return next(row for row in curve["rows"] if row["week"] == number)


class TestTheKnownClinic:
    def test_average_pain(self, clinic):
        pain = PatientSummary.objects.outcome_curves()["pain_reduction"]
        assert week(pain[0], 1) == {"week": 1, "patients": 5, "q1": 25, "median": 50, "q3": 50}

    def test_psfs(self, clinic):
        psfs = PatientSummary.objects.outcome_curves()["psfs_change"]
        assert week(psfs[0], 1) == {
            "week": 1,
            "patients": 5,
            "q1": Decimal("1.0"),
            "median": Decimal("2.0"),
            "q3": Decimal("2.4"),
        }

    def test_active_minutes(self, clinic):
        active = PatientSummary.objects.outcome_curves()["active_150"]
        assert week(active[0], 1) == {"week": 1, "patients": 5, "share": Decimal("60.0")}

    def test_weeks_with_fewer_than_five_patients_are_left_out_and_named(self, clinic):
        found = PatientSummary.objects.outcome_curves()
        assert [row["week"] for row in found["pain_reduction"][0]["rows"]] == [1]
        assert found["pain_reduction"][0]["thin"] == [2]
        assert found["pain_reduction"][1] == {"rows": [], "thin": [1, 2]}
        assert found["pain_reduction"][2] == {"rows": [], "thin": [1]}

    def test_the_phase_is_the_one_at_the_end_of_the_week(self, clinic):
        rows = OutcomeWeek.objects.filter(week=1).order_by("patient__given_name")
        assert [row.phase for row in rows] == [1, 1, 1, 1, 2]

    def test_a_baseline_of_0_gives_no_per_cent(self, clinic):
        assert not OutcomeWeek.objects.filter(patient=clinic["f"]).exists()


class TestTheFilters:
    def test_my_patients(self, clinic, practitioner):
        pain = PatientSummary.objects.outcome_curves(practitioner)["pain_reduction"]
        assert pain[0] == {"rows": [], "thin": [1, 2]}  # four of Lin's in week 1

    def test_a_body_region(self, clinic):
        knees = PatientSummary.objects.outcome_curves(region="knees")["pain_reduction"][0]
        back = PatientSummary.objects.outcome_curves(region="lower_back")["pain_reduction"][0]
        assert (knees["thin"], back["thin"]) == ([1, 2], [1, 2])

    def test_a_period_counts_only_the_courses_started_in_it(self, clinic):
        since = started(10) + timedelta(days=1)
        assert PatientSummary.objects.outcome_curves(since=since)["pain_reduction"][0] == {
            "rows": [],
            "thin": [],
        }

    def test_the_region_filters_the_other_charts_too(self, clinic):
        flow = PatientSummary.objects.phase_flow(region="lower_back")
        assert sum(flow["weeks"][-1]["phases"]) == 3
        assert PatientSummary.objects.time_to_phase(region="knees")["patients"] == 3

    def test_the_page_keeps_the_region_in_every_link(self, practitioner_client, clinic):
        response = practitioner_client.get("/", {"region": "knees", "months": 6})
        body = response.content.decode()
        assert "with pain in the knees" in page_text(response)
        assert "/phase-flow.csv?months=6&amp;region=knees" in body
        assert "?mine=1&amp;months=6&amp;region=knees" in body
        assert '<option value="knees" selected>' in body

    @pytest.mark.parametrize("query", [{"region": "elbow"}, {"region": "knees", "months": "7"}])
    def test_an_unknown_region_or_period_is_a_400_that_says_why(self, practitioner_client, query):
        response = practitioner_client.get("/", query)
        assert response.status_code == 400
        text = page_text(response)
        assert ("body region “elbow”" in text) == ("elbow" in query.values())
        assert ("period “7”" in text) == ("7" in query.values())


class TestThePage:
    def test_its_data_and_tables(self, practitioner_client, clinic, settings):
        settings.DEBUG = False
        response = practitioner_client.get("/")
        data = script_data(response, "outcome-curves-data")
        assert data["pain_reduction"]["0"] == [
            {"week": 1.0, "patients": 5.0, "q1": 25.0, "median": 50.0, "q3": 50.0}
        ]
        assert table_rows(response, "outcome-pain_reduction-table") == [
            ["1", "All patients", "5", "50 %", "25 to 50 %"]
        ]
        assert table_rows(response, "outcome-psfs_change-table") == [
            ["1", "All patients", "5", "2", "1 to 2.4"]
        ]
        assert table_rows(response, "outcome-active_150-table") == [
            ["1", "All patients", "5", "60 %"]
        ]
        assert "Not drawn (fewer than 5 patients): week 2." in page_text(response)

    def test_an_empty_clinic_explains_itself(self, practitioner_client):
        text = page_text(practitioner_client.get("/"))
        assert "No week yet has 5 or more patients with a check-in" in text

    def test_the_csv_is_exactly_what_is_drawn(self, practitioner_client, clinic):
        response = practitioner_client.get(CSV_URL, {"region": "lower_back"})
        assert response["Content-Disposition"].startswith(
            'attachment; filename="outcomes-by-week-clinic-lower-back-all-time-'
        )
        assert list(csv.reader(io.StringIO(response.content.decode())))[1:] == []
        rows = list(csv.DictReader(io.StringIO(practitioner_client.get(CSV_URL).content.decode())))
        assert [
            (r["measure"], r["group"], r["week"], r["median"], r["share_percent"]) for r in rows
        ] == [
            ("pain_reduction", "All patients", "1", "50.0", ""),
            ("psfs_change", "All patients", "1", "2.0", ""),
            ("active_150", "All patients", "1", "", "60.0"),
        ]

    def test_the_csv_needs_a_login(self, client):
        assert client.get(CSV_URL).status_code == 302

    def test_the_csv_needs_a_role(self, outsider_client):
        assert outsider_client.get(CSV_URL).status_code == 403


class TestTheWeeksAreKeptByEveryWrite:
    def test_a_check_in_adds_its_week(self, clinic):
        CheckInFactory(patient=clinic["a"], taken_on=started(10) + timedelta(days=40), psfs=6)
        row = OutcomeWeek.objects.get(patient=clinic["a"], week=5)
        assert (row.pain_reduction, row.psfs_change_tenths, row.active_150) == (38, 30, None)

    def test_deleting_a_reading_takes_its_week_away(self, clinic):
        OutcomeReading.objects.filter(patient=clinic["b"], source="checkin").delete()
        PatientSummary.objects.refresh(clinic["b"])
        assert not OutcomeWeek.objects.filter(patient=clinic["b"]).exists()

    def test_refresh_summaries_rebuilds_them(self, clinic):
        kept = list(OutcomeWeek.objects.values_list("patient", "week", "phase", "pain_reduction"))
        OutcomeWeek.objects.all().delete()
        call_command("refresh_summaries", stdout=io.StringIO())
        assert (
            list(OutcomeWeek.objects.values_list("patient", "week", "phase", "pain_reduction"))
            == kept
        )

    @pytest.mark.parametrize(
        "change",
        [{"week": 53}, {"phase": 4}, {"pain_reduction": 101}, {"psfs_change_tenths": -105}],
    )
    def test_the_database_refuses_values_out_of_range(self, clinic, change):
        row = OutcomeWeek.objects.first()
        for name, value in change.items():
            setattr(row, name, value)
        with pytest.raises(IntegrityError), transaction.atomic():
            row.save()


@pytest.mark.parametrize("seed", range(40))
def test_quartiles_from_counts_are_those_of_the_values_written_out(seed):
    rng = random.Random(seed)
    values = [Decimal(rng.randint(-30, 100)) for _ in range(rng.randint(5, 60))]
    counts = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    assert quartiles(counts) == [q1, statistics.median(values), q3]


def test_the_phases_split_the_counts_and_all_patients_adds_them():
    # (measure: 0 is pain, week, phase, value, patients)
    rows = [(0, 3, 1, 10, 3), (0, 3, 2, 40, 5)]
    found = curves(rows)["pain_reduction"]
    assert found[0]["rows"] == [{"week": 3, "patients": 8, "q1": 10, "median": 40, "q3": 40}]
    assert found[1] == {"rows": [], "thin": [3]}
    assert found[2]["rows"] == [{"week": 3, "patients": 5, "q1": 40, "median": 40, "q3": 40}]


def recompute(practitioner=None):
    """The curves recomputed plainly from the raw readings and phase changes, patient by
    patient: a patient's week k is the days 7k to 7k+6 after their first phase change; the
    week's value is its last reading (by day, then id) after the intake, against the
    intake's first reading (rounded half up, to whole per cents and tenths of a point); the
    phase is the latest change by the week's last day."""
    patients = Patient.objects.prefetch_related("phase_changes", "readings")
    if practitioner is not None:
        patients = patients.filter(practitioner=practitioner)
    values = {}  # (measure, phase or 0, week) -> [values]
    for patient in patients:
        changes = sorted(patient.phase_changes.all(), key=lambda c: (c.started_on, c.id))
        if not changes:
            continue
        start = changes[0].started_on
        readings = sorted(patient.readings.all(), key=lambda r: (r.taken_on, r.id))
        baseline = {}
        for r in readings:
            if r.source == "intake":
                baseline.setdefault(r.measure, r.value)
        by_week = {}
        for r in readings:
            weeks = (r.taken_on - start).days // 7
            if r.source != "intake" and 0 <= weeks <= 52:
                by_week.setdefault(weeks, {})[r.measure] = r.value
        for weeks, last in by_week.items():
            end = start + timedelta(days=weeks * 7 + 6)
            phase = [c for c in changes if c.started_on <= end][-1].phase
            found = {}
            if baseline.get("pain_average") and "pain_average" in last:
                b = baseline["pain_average"]
                found["pain_reduction"] = ((b - last["pain_average"]) / b * 100).quantize(
                    1, ROUND_HALF_UP
                )
            if "psfs" in baseline and "psfs" in last:
                found["psfs_change"] = (last["psfs"] - baseline["psfs"]).quantize(
                    Decimal("0.1"), ROUND_HALF_UP
                )
            if "active_minutes" in last:
                found["active_150"] = int(last["active_minutes"] >= 150)
            for measure, value in found.items():
                for group in (0, phase):
                    values.setdefault((measure, group, weeks), []).append(Decimal(value))
    result = {}
    for (measure, group, weeks), found in values.items():
        if len(found) < 5:
            continue
        if measure == "active_150":
            result[measure, group, weeks] = round(Decimal(sum(found) * 100) / len(found), 1)
        else:
            q1, _, q3 = statistics.quantiles(found, n=4, method="inclusive")
            result[measure, group, weeks] = tuple(
                round(v, 1) for v in (q1, statistics.median(found), q3)
            )
    return result


@pytest.mark.parametrize("mine", [False, True])
def test_the_demo_clinic_matches_a_plain_recomputation(settings, mine):
    settings.DEBUG = True
    call_command("seed_demo", patients=40, stdout=io.StringIO())
    lin = Patient.objects.filter(practitioner__username="lin").first().practitioner
    practitioner = lin if mine else None
    found = {}
    for measure, groups in PatientSummary.objects.outcome_curves(practitioner).items():
        for group, curve in groups.items():
            for row in curve["rows"]:
                found[measure, group, row["week"]] = (
                    row["share"]
                    if measure == "active_150"
                    else (row["q1"], row["median"], row["q3"])
                )
    assert len(found) > 30
    assert found == recompute(practitioner)


@pytest.mark.parametrize("extra", [0, 30])
def test_the_query_count_does_not_grow_with_the_register(
    practitioner_client, practitioner, second_practitioner, django_assert_num_queries, extra
):
    patients = build_clinic(practitioner, second_practitioner)
    for n in range(extra):
        patient = PatientFactory(practitioner=practitioner)
        StartedCourseFactory(patient=patient, accepted_by=practitioner, on=started(10))
        CheckInFactory(patient=patient, taken_on=started(10 - n % 5))
    assert OutcomeWeek.objects.count() >= len(patients) + extra - 1
    # 1 session, 2 user, 3 permissions, 4 the profile (for ?mine), 5 the curves.
    with django_assert_num_queries(5):
        practitioner_client.get(CSV_URL, {"mine": "1", "region": "knees"})
