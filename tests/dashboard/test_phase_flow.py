"""The dashboard's "Phase flow over time": the patients in each phase at the end of each
week, new patients and discharges, for a small clinic whose numbers are worked out by hand
below and for the demo clinic against a plain day-by-day recomputation; the phase history's
end dates; the filters, the CSV, the empty state, bad input, the query count, and the
drill-down list of a week's patients."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEvent
from dashboard.views import months_before
from patients.models import OutcomeReading, Patient, PatientSummary, PhaseChange
from tests.factories import CheckInFactory, PatientFactory, StartedCourseFactory
from tests.html import page_text, script_data
from tests.progress_helpers import today

pytestmark = pytest.mark.django_db

CSV_URL = reverse("phase_flow_csv")
WEEK_URL = reverse("phase_week")


def monday(weeks_ago):
    """The Monday `weeks_ago` weeks before this week's."""
    now = today()
    return now - timedelta(days=now.weekday(), weeks=weeks_ago)


def build_clinic(practitioner, second_practitioner):
    """Four patients with a course and one without, on days counted from Mondays (W-6 is
    the week six weeks before this one; +2 is its Wednesday):

    | patient  | phase 1 | phase 2 | phase 3 | status, last reading         |
    |----------|---------|---------|---------|------------------------------|
    | ada      | W-6 +0  | W-4 +2  | W-2 +0  | active                       |
    | bo       | W-5 +3  | W-3 +1  |         | active                       |
    | cy       | W-4 +0  |         |         | discharged, W-2 +4 (Friday)  |
    | di (Sam) | W-3 +6  |         |         | archived, W-1 +2             |
    | fay      |         |         |         | invited: never counted       |

    At the end of each week (its Sunday), in phases 1, 2, 3; new patients; discharges:
    W-6 (1, 0, 0) 1 0; W-5 (2, 0, 0) 1 0; W-4 (2, 1, 0) 1 0 (ada moved on Wednesday);
    W-3 (2, 2, 0) 1 0 (di started on the Sunday); W-2 (1, 1, 1) 0 1 (cy discharged);
    W-1 (0, 1, 1) 0 1 (di archived); this week (0, 1, 1) 0 0.
    """
    lin, sam = practitioner, second_practitioner
    plan = {
        # name: (practitioner, status, [(phase, week, day)], last check-in (week, day))
        "ada": (lin, "active", [(1, 6, 0), (2, 4, 2), (3, 2, 0)], None),
        "bo": (lin, "active", [(1, 5, 3), (2, 3, 1)], None),
        "cy": (lin, "discharged", [(1, 4, 0)], (2, 4)),
        "di": (sam, "archived", [(1, 3, 6)], (1, 2)),
    }
    patients = {}
    for name, (by, status, phases, checkin) in plan.items():
        patient = PatientFactory(given_name=name.title(), practitioner=by)
        (_, week, day), *later = phases
        StartedCourseFactory(patient=patient, accepted_by=by, on=monday(week) + timedelta(day))
        for phase, week, day in later:
            PhaseChange.objects.create(
                patient=patient,
                phase=phase,
                started_on=monday(week) + timedelta(day),
                changed_by=by,
            )
        if checkin:
            CheckInFactory(patient=patient, taken_on=monday(checkin[0]) + timedelta(checkin[1]))
        patient.status = status
        patient.save()
        patients[name] = patient
    patients["fay"] = PatientFactory(given_name="Fay", practitioner=lin)
    PatientSummary.objects.refresh_many(Patient.objects.all())  # after the direct writes
    return patients


@pytest.fixture
def clinic(practitioner, second_practitioner):
    return build_clinic(practitioner, second_practitioner)


def weeks(flow):
    """(weeks ago, (phase 1, 2, 3), new, discharged) rows."""
    this_week = monday(0)
    return [
        ((this_week - row["week"]).days // 7, tuple(row["phases"]), row["new"], row["discharged"])
        for row in flow["weeks"]
    ]


KNOWN = [
    (6, (1, 0, 0), 1, 0),
    (5, (2, 0, 0), 1, 0),
    (4, (2, 1, 0), 1, 0),
    (3, (2, 2, 0), 1, 0),
    (2, (1, 1, 1), 0, 1),
    (1, (0, 1, 1), 0, 1),
    (0, (0, 1, 1), 0, 0),
]


class TestThePhaseHistoryKeepsItsEndDates:
    def test_a_spell_ends_when_the_next_starts_or_at_the_discharge(self, clinic):
        ends = {
            (change.patient.given_name, change.phase): change.ended_on
            for change in PhaseChange.objects.select_related("patient")
        }
        assert ends == {
            ("Ada", 1): monday(4) + timedelta(2),
            ("Ada", 2): monday(2),
            ("Ada", 3): None,
            ("Bo", 1): monday(3) + timedelta(1),
            ("Bo", 2): None,
            ("Cy", 1): monday(2) + timedelta(4),  # discharged: the last reading
            ("Di", 1): monday(1) + timedelta(2),  # archived: the last reading
        }

    def test_a_phase_change_closes_the_open_spell(self, clinic, practitioner):
        from patients.progress import change_phase

        bo = clinic["bo"]
        change_phase(bo, 3, today(), practitioner)
        assert list(bo.phase_changes.values_list("phase", "ended_on")) == [
            (1, monday(3) + timedelta(1)),
            (2, today()),
            (3, None),
        ]

    def test_restoring_to_active_reopens_the_last_spell(self, clinic):
        ada = clinic["ada"]
        ada.archive()
        PatientSummary.objects.refresh(ada)
        assert ada.phase_changes.get(phase=3).ended_on == monday(2)  # no reading since
        ada.restore()
        PatientSummary.objects.refresh(ada)
        assert ada.phase_changes.get(phase=3).ended_on is None

    def test_refresh_summaries_rebuilds_them(self, clinic):
        PhaseChange.objects.update(ended_on=None)
        call_command("refresh_summaries", stdout=io.StringIO())
        assert PhaseChange.objects.filter(ended_on__isnull=False).count() == 5

    def test_the_database_refuses_an_end_before_the_start(self, clinic):
        from django.db import IntegrityError, transaction

        change = clinic["ada"].phase_changes.get(phase=3)
        with pytest.raises(IntegrityError), transaction.atomic():
            PhaseChange.objects.filter(pk=change.pk).update(
                ended_on=change.started_on - timedelta(1)
            )


class TestTheFlowOfAKnownClinic:
    def test_the_weeks_of_the_clinic(self, clinic):
        assert weeks(PatientSummary.objects.phase_flow()) == KNOWN

    def test_my_patients_leaves_out_the_other_practitioners(self, clinic, practitioner):
        assert weeks(PatientSummary.objects.phase_flow(practitioner)) == [
            (6, (1, 0, 0), 1, 0),
            (5, (2, 0, 0), 1, 0),
            (4, (2, 1, 0), 1, 0),
            (3, (1, 2, 0), 0, 0),
            (2, (0, 1, 1), 0, 1),
            (1, (0, 1, 1), 0, 0),
            (0, (0, 1, 1), 0, 0),
        ]

    def test_a_period_starts_at_its_week_and_counts_who_was_already_in_care(self, clinic):
        since = monday(3) + timedelta(3)  # a Thursday: its week is shown whole
        assert weeks(PatientSummary.objects.phase_flow(since=since)) == KNOWN[3:]

    def test_a_period_before_the_first_course_starts_at_the_first(self, clinic):
        since = months_before(today(), 12)
        assert weeks(PatientSummary.objects.phase_flow(since=since)) == KNOWN

    def test_all_time_is_capped_at_three_years(self, clinic, practitioner, settings):
        old = PatientFactory(practitioner=practitioner)
        StartedCourseFactory(patient=old, accepted_by=practitioner, on=monday(200))
        flow = PatientSummary.objects.phase_flow()
        assert flow["capped"] and len(flow["weeks"]) == 156
        assert weeks(flow)[-7:] == [(w, (p[0] + 1, *p[1:]), n, d) for w, p, n, d in KNOWN]

    def test_no_course_no_weeks(self, db):
        PatientFactory()
        assert PatientSummary.objects.phase_flow()["weeks"] == []


def recount(weeks_shown, practitioner=None):
    """The flow recomputed plainly from the raw records, patient by patient and week by
    week: the phase a patient is in on a week's Sunday is their latest phase change by then
    (in started_on, id order), unless they are discharged or archived and that Sunday is on
    or after their last reading (or their last phase change, if later)."""
    patients = Patient.objects.prefetch_related("phase_changes")
    if practitioner is not None:
        patients = patients.filter(practitioner=practitioner)
    rows = []
    for monday_ in weeks_shown:
        sunday = monday_ + timedelta(days=6)
        counts, new, discharged = [0, 0, 0], 0, 0
        for patient in patients:
            changes = sorted(patient.phase_changes.all(), key=lambda c: (c.started_on, c.id))
            if not changes:
                continue
            last_reading = (
                OutcomeReading.objects.filter(patient=patient)
                .order_by("-taken_on")
                .values_list("taken_on", flat=True)
                .first()
            )
            end = None
            if patient.status in ("discharged", "archived"):
                end = max(last_reading or changes[-1].started_on, changes[-1].started_on)
            if monday_ <= changes[0].started_on <= sunday:
                new += 1
            if end is not None and monday_ <= end <= sunday:
                discharged += 1
            by_then = [c for c in changes if c.started_on <= sunday]
            if by_then and (end is None or sunday < end):
                counts[by_then[-1].phase - 1] += 1
        rows.append({"week": monday_, "phases": counts, "new": new, "discharged": discharged})
    return rows


@pytest.mark.parametrize("mine", [False, True])
def test_the_demo_clinic_matches_a_plain_recount(settings, mine):
    settings.DEBUG = True
    call_command("seed_demo", patients=40, stdout=io.StringIO())
    lin = Patient.objects.filter(practitioner__username="lin").first().practitioner
    practitioner = lin if mine else None
    flow = PatientSummary.objects.phase_flow(practitioner)
    assert len(flow["weeks"]) > 20
    assert sum(sum(row["phases"]) for row in flow["weeks"]) > 100
    assert sum(row["discharged"] for row in flow["weeks"]) > 0
    assert flow["weeks"] == recount([row["week"] for row in flow["weeks"]], practitioner)


class TestTheDashboardSection:
    def test_it_comes_first_among_the_charts(self, practitioner_client, clinic):
        page = page_text(practitioner_client.get("/"))
        assert page.index("Patients by status") < page.index("Phase flow over time")
        assert page.index("Phase flow over time") < page.index("Time to each phase")

    def test_its_data_and_table(self, practitioner_client, clinic):
        response = practitioner_client.get("/")
        data = script_data(response, "phase-flow-data")
        assert data["weeks"][0] == monday(6).isoformat()
        assert data["labels"][0] == f"{monday(6).day} {monday(6):%b}"
        assert data["phases"] == {"1": [1, 2, 2, 2, 1, 0, 0], "2": [0, 0, 1, 2, 1, 1, 1],
                                  "3": [0, 0, 0, 0, 1, 1, 1]}  # fmt: skip
        assert data["new"] == [1, 1, 1, 1, 0, 0, 0]
        assert data["discharged"] == [0, 0, 0, 0, 1, 1, 0]
        html = response.content.decode()
        link = f'{WEEK_URL}?phase=2&amp;week={monday(3).isoformat()}">2</a>'
        assert link in html  # each number in the table lists its patients

    def test_my_patients_links_to_my_patients(self, practitioner_client, clinic):
        html = practitioner_client.get("/", {"mine": "1"}).content.decode()
        assert f"?phase=1&amp;week={monday(6).isoformat()}&amp;mine=1" in html

    def test_the_links_keep_the_period_for_the_way_back(self, practitioner_client, clinic):
        response = practitioner_client.get("/", {"mine": "1", "months": "3"})
        week = monday(3).isoformat()
        assert f"?phase=1&amp;week={week}&amp;mine=1&amp;months=3" in response.content.decode()
        assert script_data(response, "phase-flow-data")["filters"] == "mine=1&months=3"
        back = practitioner_client.get(WEEK_URL, {"phase": 1, "week": week, "months": "3"})
        assert 'href="/?months=3#phase-flow"' in back.content.decode()

    def test_an_empty_clinic_explains_itself(self, practitioner_client):
        page = page_text(practitioner_client.get("/"))
        assert "No patient was in a phase of care yet, so there is no phase flow to show." in page

    def test_an_empty_period_explains_itself(self, practitioner_client, practitioner):
        old = PatientFactory(practitioner=practitioner, status="discharged")
        StartedCourseFactory(patient=old, accepted_by=practitioner, on=monday(60))
        PatientSummary.objects.refresh(old)
        response = practitioner_client.get("/", {"months": "3"})
        assert "there is no phase flow to show" in page_text(response)
        assert "phase-flow-data" not in response.content.decode()

    def test_an_unknown_period_is_a_400(self, practitioner_client):
        assert practitioner_client.get(CSV_URL, {"months": "5"}).status_code == 400


class TestTheCsv:
    def test_it_is_exactly_what_is_drawn(self, practitioner_client, clinic):
        response = practitioner_client.get(CSV_URL)
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0] == [
            "week_starting", "phase_1", "phase_2", "phase_3", "new_patients", "discharges"
        ]  # fmt: skip
        assert rows[1:] == [
            [monday(w).isoformat(), *map(str, p), str(n), str(d)] for w, p, n, d in KNOWN
        ]

    def test_it_keeps_the_filters_and_names_them(self, practitioner_client, clinic):
        response = practitioner_client.get(CSV_URL, {"mine": "1", "months": "3"})
        name = response["Content-Disposition"]
        assert f'filename="phase-flow-my-patients-3-months-{today().isoformat()}.csv"' in name
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[4][1:4] == ["1", "2", "0"]  # week -3, without Sam's di

    def test_an_anonymous_visitor_is_sent_to_log_in(self, client):
        assert client.get(CSV_URL).status_code == 302

    def test_a_user_without_a_role_is_refused(self, outsider_client):
        assert outsider_client.get(CSV_URL).status_code == 403


class TestTheDrillDown:
    def names(self, response):
        return [p.given_name for p in response.context["page"].object_list]

    def test_it_lists_the_patients_a_bar_counts(self, practitioner_client, clinic):
        week = monday(3).isoformat()
        response = practitioner_client.get(WEEK_URL, {"phase": 1, "week": week})
        assert self.names(response) == ["Cy", "Di"]  # by family name, then given name
        response = practitioner_client.get(WEEK_URL, {"phase": 2, "week": week})
        assert sorted(self.names(response)) == ["Ada", "Bo"]
        assert f'href="{clinic["ada"].get_absolute_url()}"' in response.content.decode()
        assert "2 patients in this phase at the end of the week" in page_text(response)

    def test_every_count_of_the_chart_is_its_list(self, practitioner_client, clinic):
        for weeks_ago, phases, _, _ in KNOWN:
            for phase, n in enumerate(phases, start=1):
                response = practitioner_client.get(
                    WEEK_URL, {"phase": phase, "week": monday(weeks_ago).isoformat()}
                )
                assert response.context["page"].paginator.count == n

    def test_my_patients(self, practitioner_client, clinic):
        response = practitioner_client.get(
            WEEK_URL, {"phase": 1, "week": monday(3).isoformat(), "mine": "1"}
        )
        assert self.names(response) == ["Cy"]

    def test_it_is_audited_one_event_a_patient_shown(self, practitioner_client, clinic):
        practitioner_client.get(WEEK_URL, {"phase": 2, "week": monday(3).isoformat()})
        events = AuditEvent.objects.filter(action=AuditEvent.Action.LIST)
        assert sorted(str(e.patient_uuid) for e in events) == sorted(
            str(clinic[name].uuid) for name in ("ada", "bo")
        )
        assert all("patients in phase 2 in the week of" in e.detail for e in events)

    def test_it_is_paginated(self, practitioner_client, practitioner):
        for _ in range(27):
            patient = PatientFactory(practitioner=practitioner)
            StartedCourseFactory(patient=patient, accepted_by=practitioner, on=monday(1))
        week = monday(1).isoformat()
        first = practitioner_client.get(WEEK_URL, {"phase": 1, "week": week})
        assert len(first.context["page"].object_list) == 25
        second = practitioner_client.get(WEEK_URL, {"phase": 1, "week": week, "page": 2})
        assert len(second.context["page"].object_list) == 2

    @pytest.mark.parametrize(
        "query",
        [
            {},
            {"phase": "4", "week": "2026-11-02"},
            {"phase": "two", "week": "2026-11-02"},
            {"phase": "2"},
            {"phase": "2", "week": "2026-11-03"},  # a Tuesday
            {"phase": "2", "week": "last week"},
            {"phase": "2", "week": "2026-11-02", "months": "5"},
        ],
    )
    def test_bad_parameters_are_a_400_that_says_why(self, practitioner_client, query):
        response = practitioner_client.get(WEEK_URL, query)
        assert response.status_code == 400
        assert "needs a phase (1, 2 or 3) and a week, given by its Monday" in page_text(response)
        assert not AuditEvent.objects.filter(action=AuditEvent.Action.LIST).exists()

    def test_an_anonymous_visitor_is_sent_to_log_in(self, client):
        response = client.get(WEEK_URL, {"phase": 1, "week": monday(0).isoformat()})
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")

    def test_a_user_without_a_role_is_refused(self, outsider_client):
        response = outsider_client.get(WEEK_URL, {"phase": 1, "week": monday(0).isoformat()})
        assert response.status_code == 403


@pytest.mark.parametrize("extra", [0, 30])
def test_the_query_counts_do_not_grow_with_the_register(
    practitioner_client, practitioner, second_practitioner, django_assert_num_queries, extra
):
    build_clinic(practitioner, second_practitioner)
    for n in range(extra):
        patient = PatientFactory(practitioner=practitioner)
        StartedCourseFactory(patient=patient, accepted_by=practitioner, on=monday(n % 5))
        if n % 2:
            PhaseChange.objects.create(
                patient=patient, phase=2, started_on=monday(0), changed_by=practitioner
            )
    PatientSummary.objects.refresh_many(Patient.objects.all())
    # The CSV: 1 session, 2 user, 3 permissions, 4 the profile (for ?mine), 5 the flow.
    with django_assert_num_queries(5):
        practitioner_client.get(CSV_URL, {"mine": "1"})
    # The list: 1 session, 2 user, 3 permissions, 4 the profile, 5 the count, 6 the page of
    # patients with their practitioners, 7 the audit events (one INSERT).
    with django_assert_num_queries(7):
        practitioner_client.get(WEEK_URL, {"phase": 1, "week": monday(4).isoformat(), "mine": "1"})
