"""A small per-patient summary, so the clinic dashboard aggregates one row a patient
instead of scanning every reading, session and phase change on each view.

It is derived data with one way in: PatientSummary.objects.refresh(patient) rewrites a
patient's row, and their phase history's end dates (PhaseChange.ended_on), from the
patient and the history (patients.summary), called once in the transaction of every
write that changes it, by the code that writes: the patient's own pages, admin and
commands (its status and practitioner), the intake actions, a check-in, a phase change,
a session note from the form or the admin.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncWeek
from django.utils import timezone

from patients import bodymap
from patients.kaplan_meier import kaplan_meier
from patients.models.intake import Intake
from patients.models.outcomes import OutcomeWeek, curves, quartiles
from patients.models.phases import Phase, PhaseChange, PhaseSuggestion
from patients.models.records import Patient, evaluable, quiet_since, responding
from patients.summary import fresh_values, spell_end

# One patient's UPDATE is compiled once a process (per database and time zone) and run
# with the patient's id in place of this stand-in: building and compiling its twenty
# subqueries takes Django about 8 ms, running it about 1.5 ms.
STAND_IN = -424242
_statements = {}
# "All time" on the phase flow shows at most the last three years of weeks.
FLOW_WEEKS_CAP = 156


def _is_stand_in(param):
    return type(param) is int and param == STAND_IN


def _statement_for_one(queryset):
    """The SQL and parameters of the UPDATE that rewrites one summary, with STAND_IN for
    the patient's id. Django has no public API that returns a query's SQL, so the UPDATE
    for the stand-in (which matches no row) is run once through a database execute
    wrapper that keeps what Django sends."""
    key = (queryset.db, timezone.get_current_timezone_name())
    if key not in _statements:
        sent = []

        def keep(execute, sql, params, many, context):
            sent.append((sql, list(params)))
            return execute(sql, params, many, context)

        with connections[queryset.db].execute_wrapper(keep):
            queryset.filter(patient_id=STAND_IN).update(**fresh_values())
        [(sql, params)] = sent
        assert [_is_stand_in(param) for param in params].count(True) == 1
        _statements[key] = sql, params
    return _statements[key]


class WeeksBetween(Func):
    """Whole weeks from the first date to the second, rounded up (day 0 is week 0, days
    1-7 are week 1, ...); negative if the second is earlier."""

    output_field = IntegerField()
    arity = 2

    def __init__(self, start, end):
        super().__init__(end, start)

    def as_sql(self, compiler, connection, **extra):
        # PostgreSQL: date - date is a number of days.
        template = "((%(expressions)s) + 6) / 7"
        return super().as_sql(compiler, connection, template=template, arg_joiner=" - ")

    def as_sqlite(self, compiler, connection, **extra):
        (end, end_params), (start, start_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        sql = f"((CAST(julianday({end}) - julianday({start}) AS INTEGER) + 6) / 7)"
        return sql, (*end_params, *start_params)


def _monday(field):
    """The Monday of a date's week, as a date (PostgreSQL's DATE_TRUNC gives a timestamp,
    and parsing a thousand of them costs a few ms)."""
    return Cast(TruncWeek(field), DateField())


def scoped(rows, practitioner=None, region=None, via=""):
    """`rows` (summaries, or rows related to them through `via`, "patient__summary__") of
    one practitioner's patients, and of those whose intake's pain map holds an area in the
    body part `region` (a key of patients.bodymap.PARTS); all of them for None."""
    if practitioner is not None:
        rows = rows.filter(**{f"{via}practitioner": practitioner})
    if region is not None:
        bit = bodymap.PART_BITS[region]
        rows = rows.alias(in_region=F(f"{via}regions").bitand(bit)).filter(in_region__gt=0)
    return rows


class PatientSummaryQuerySet(models.QuerySet):
    def time_to_phase(self, practitioner=None, since=None, region=None):
        """The dashboard's "Time to each phase": Kaplan-Meier curves of the share of
        patients who have reached phase 2 (or beyond) and phase 3, by weeks since their
        course started (the first phase change: the accepted intake) and by sessions before
        the day they reached it, for the clinic or one practitioner's patients, and those
        whose course started on or after `since`. One query whatever the register's size:
        the union of four GROUP BYs (time, reached or not) over the summaries, one a curve.

        A patient who has not reached the phase is censored at their last reading (any
        source: intake, check-in or session) for weeks, and at their session count for
        sessions. The summary keeps no discharge date, so a discharged or archived patient
        is censored at their last reading too."""
        courses = scoped(self, practitioner, region).filter(course_started_on__isnull=False)
        if since is not None:
            courses = courses.filter(course_started_on__gte=since)
        reached_on = {
            2: Coalesce("reached_phase_2_on", "reached_phase_3_on"),
            3: F("reached_phase_3_on"),
        }
        sessions_before = {
            2: Coalesce("sessions_before_phase_2", "sessions_before_phase_3"),
            3: F("sessions_before_phase_3"),
        }
        parts = []
        for phase in (2, 3):
            reached = Q(**{f"reached_{phase}__isnull": False})
            flagged = courses.annotate(**{f"reached_{phase}": reached_on[phase]})
            times = {
                "weeks": Case(
                    When(reached, then=WeeksBetween("course_started_on", reached_on[phase])),
                    default=Coalesce(
                        WeeksBetween("course_started_on", "last_reading_on"), Value(0)
                    ),
                ),
                "sessions": Case(When(reached, then=sessions_before[phase]), default=F("sessions")),
            }
            for axis, time in times.items():
                grouped = flagged.order_by().values(
                    curve=Value(f"{axis} {phase}"),
                    time=time,
                    event=Case(When(reached, then=Value(1)), default=Value(0)),
                )
                parts.append(grouped.annotate(n=Count("pk")))
        groups = {(axis, phase): {} for axis in ("weeks", "sessions") for phase in (2, 3)}
        for row in parts[0].union(*parts[1:], all=True):
            axis, phase = row["curve"].split()
            counts = groups[axis, int(phase)].setdefault(max(row["time"] or 0, 0), [0, 0])
            counts[0 if row["event"] else 1] += row["n"]
        curves = {
            axis: {
                phase: kaplan_meier({t: tuple(n) for t, n in groups[axis, phase].items()})
                for phase in (2, 3)
            }
            for axis in ("weeks", "sessions")
        }
        return {
            "patients": sum(n for e, c in groups["weeks", 2].values() for n in (e, c)),
            **curves,
        }

    def outcome_curves(self, practitioner=None, since=None, region=None):
        """The dashboard's "Outcomes by week of care": average pain's reduction from the
        intake (median and quartiles), the PSFS mean's change (the same) and the share
        active at least 150 minutes, by week since the course started, for all patients and
        by the phase they were in that week (patients.models.outcomes.curves). For the
        clinic or one practitioner's patients, those whose course started on or after
        `since`, and those with pain in one body part. One query: patients counted by
        (measure, week, phase, value) over OutcomeWeek."""
        weeks = scoped(OutcomeWeek.objects.all(), practitioner, region, via="patient__summary__")
        if since is not None:
            weeks = weeks.filter(patient__summary__course_started_on__gte=since)
        return curves(weeks.counts())

    def phase_flow(self, practitioner=None, since=None, today=None, region=None):
        """The dashboard's "Phase flow over time": for each week (Monday to Sunday) from
        the one holding `since` (or the first course start, at most FLOW_WEEKS_CAP weeks
        back) to this one, the patients in phase 1, 2 and 3 at the end of the week, the new
        patients (courses started: accepted intakes) and the discharges (last spells closed
        by a discharge or an archive) that week. For the clinic or one practitioner.

        One query whatever the register's size: the union of three GROUP BYs by week, the
        phase spells started and ended (PhaseChange.started_on, ended_on) and the courses
        started (the summaries). In phase p at the end of week w = spells in p started up
        to w - spells in p ended up to w, a running sum in Python over every week since the
        first (so the period's first week counts the patients who started before it). A
        spell ends either at the next change (which starts that week: one for every change
        but a patient's first) or at a discharge, so discharges in w = spells ended in w -
        (changes started in w - courses started in w)."""
        today = today or timezone.localdate()
        spells = scoped(PhaseChange.objects.all(), practitioner, region, via="patient__summary__")
        courses = scoped(self, practitioner, region).filter(course_started_on__isnull=False)
        started = spells.order_by().values(
            kind=Value("started"), row_phase=F("phase"), week=TruncWeek("started_on")
        )
        ended = (
            spells.filter(ended_on__isnull=False)
            .order_by()
            .values(kind=Value("ended"), row_phase=F("phase"), week=TruncWeek("ended_on"))
        )
        new = courses.order_by().values(
            kind=Value("new"), row_phase=Value(0), week=TruncWeek("course_started_on")
        )
        counts = {}
        parts = [part.annotate(n=Count("pk")) for part in (started, ended, new)]
        for row in parts[0].union(*parts[1:], all=True):
            counts[row["kind"], row["row_phase"], row["week"]] = row["n"]
        this_week = today - timedelta(days=today.weekday())
        if not counts:
            return {"weeks": [], "first_week": None, "capped": False}
        first = min(week for _, _, week in counts)
        shown_from = first
        capped = False
        if since is not None:
            shown_from = max(first, since - timedelta(days=since.weekday()))
        elif (this_week - first).days // 7 >= FLOW_WEEKS_CAP:
            shown_from, capped = this_week - timedelta(weeks=FLOW_WEEKS_CAP - 1), True
        weeks, active = [], dict.fromkeys(Phase, 0)
        week = first
        while week <= this_week:
            for phase in Phase:
                active[phase] += counts.get(("started", phase, week), 0)
                active[phase] -= counts.get(("ended", phase, week), 0)
            new_patients = counts.get(("new", 0, week), 0)
            changes = sum(counts.get(("started", phase, week), 0) for phase in Phase)
            ends = sum(counts.get(("ended", phase, week), 0) for phase in Phase)
            if week >= shown_from:
                weeks.append(
                    {
                        "week": week,
                        "phases": [active[phase] for phase in Phase],
                        "new": new_patients,
                        "discharged": ends - (changes - new_patients),
                    }
                )
            week += timedelta(weeks=1)
        return {"weeks": weeks, "first_week": first, "capped": capped}

    def for_dashboard(self, practitioner=None, today=None):
        """Everything the clinic dashboard shows, for the clinic or for one practitioner's
        patients, in four queries whatever the size of the register: patients by status,
        active patients by phase, quiet, evaluable and responding, the treatments behind
        them (one pass over the summaries), the patients by sessions before phases 2 and 3
        (their medians), waiting intakes and open suggestions."""
        today = today or timezone.localdate()
        summaries = self
        intakes = Intake.objects.filter(Q(status=Intake.Status.SUBMITTED) | Q(has_red_flags=True))
        suggestions = PhaseSuggestion.objects.filter(status=PhaseSuggestion.Status.OPEN)
        if practitioner is not None:
            summaries = summaries.filter(practitioner=practitioner)
            intakes = intakes.filter(patient__practitioner=practitioner)
            suggestions = suggestions.filter(patient__practitioner=practitioner)
        active = Q(status=Patient.Status.ACTIVE)
        per_status = {
            f"status_{status}": Count("pk", filter=Q(status=status)) for status in Patient.Status
        }
        per_phase = {
            f"phase_{phase}": Count("pk", filter=active & Q(phase=phase)) for phase in Phase
        }
        counts = summaries.aggregate(
            **per_status,
            **per_phase,
            not_started=Count("pk", filter=active & Q(phase__isnull=True)),
            quiet=Count("pk", filter=active & quiet_since(today, via="")),
            evaluable=Count("pk", filter=evaluable(via="")),
            responders=Count("pk", filter=responding(via="")),
            signed_sessions=Sum("signed_sessions", default=0),
            with_adverse_event=Sum("signed_sessions_with_adverse_event", default=0),
            adverse_events=Sum("signed_adverse_events", default=0),
            serious=Sum("serious_adverse_events", default=0),
        )
        # Patients by sessions before each phase (a few dozen rows, whatever the size).
        before = [
            summaries.filter(**{f"{column}__isnull": False})
            .order_by()
            .values(to_phase=Value(phase), before=F(column))
            .annotate(n=Count("pk"))
            for phase, column in ((2, "sessions_before_phase_2"), (3, "sessions_before_phase_3"))
        ]
        to_phase = {2: {}, 3: {}}
        for row in before[0].union(before[1], all=True):
            to_phase[row["to_phase"]][row["before"]] = row["n"]
        # Only waiting or flagged intakes, through their partial indexes.
        waiting = intakes.exclude(status=Intake.Status.STARTED).aggregate(
            total=Count("id", filter=Q(status=Intake.Status.SUBMITTED)),
            urgent=Count("id", filter=Q(status=Intake.Status.SUBMITTED, urgent=True)),
            unreviewed_flags=Count(
                "id", filter=Q(has_red_flags=True, red_flag_review__isnull=True)
            ),
        )
        response = {"total": counts["evaluable"], "responders": counts["responders"]}
        treatments = {
            "signed_sessions": counts["signed_sessions"],
            "with_adverse_event": counts["with_adverse_event"],
            "adverse_events": counts["adverse_events"],
            "serious": counts["serious"],
        }
        by_status = [(status, counts[f"status_{status}"]) for status in Patient.Status]
        return {
            "counts": by_status,
            "current": sum(n for status, n in by_status if status != Patient.Status.ARCHIVED),
            "phases": [(phase, counts[f"phase_{phase}"]) for phase in Phase],
            "not_started": counts["not_started"],
            "waiting": waiting,
            "suggestions": suggestions.count(),
            "quiet": counts["quiet"],
            "response": response,
            "responder_percent": (
                Decimal(response["responders"] * 100) / response["total"]
                if response["total"]
                else None
            ),
            "to_phase_2": quartiles(to_phase[2])[1] if to_phase[2] else None,
            "to_phase_3": quartiles(to_phase[3])[1] if to_phase[3] else None,
            "treatments": treatments,
            "ae_rate": (
                Decimal(treatments["with_adverse_event"] * 100) / treatments["signed_sessions"]
                if treatments["signed_sessions"]
                else None
            ),
        }


class PatientSummaryManager(models.Manager.from_queryset(PatientSummaryQuerySet)):
    @transaction.atomic(savepoint=False)
    def refresh(self, patient):
        """Rewrite `patient`'s summary from the history (creating it the first time): the
        one way into the table, once in each write transaction that changes it."""
        summaries = self.get_queryset().using(router.db_for_write(self.model))
        sql, params = _statement_for_one(summaries)
        # Lock the row first (lock 3 of PatientQuerySet's order): on PostgreSQL an UPDATE
        # that waits for another transaction's lock would then compute from data as it was
        # before that transaction committed. After the lock, the UPDATE is a new statement
        # and sees it.
        if not summaries.select_for_update().filter(patient_id=patient.pk).exists():
            summaries.get_or_create(patient_id=patient.pk)
        with connections[summaries.db].cursor() as cursor:
            cursor.execute(sql, [patient.pk if _is_stand_in(p) else p for p in params])
        # The phase history's end dates, from the same history (one UPDATE).
        PhaseChange.objects.using(summaries.db).filter(patient_id=patient.pk).update(
            ended_on=spell_end()
        )
        OutcomeWeek.objects.rewrite(patient.pk, using=summaries.db)

    @transaction.atomic(savepoint=False)
    def refresh_many(self, patients):
        """Rewrite the summaries of every patient in the queryset `patients` in one UPDATE:
        for the demo seed, `manage.py refresh_summaries` and a bulk delete of notes."""
        missing = patients.filter(summary__isnull=True).values_list("pk", flat=True)
        self.bulk_create((self.model(patient_id=pk) for pk in missing.iterator()), batch_size=5000)
        self.filter(patient__in=patients.values("pk")).update(**fresh_values())
        PhaseChange.objects.filter(patient__in=patients.values("pk")).update(ended_on=spell_end())
        OutcomeWeek.objects.rewrite_many(patients)


class PatientSummary(models.Model):
    patient = models.OneToOneField(
        "patients.Patient", on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    # The patient's own status and practitioner, copied so that the dashboard counts one
    # table without a join.
    status = models.CharField(max_length=20, blank=True)
    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The body parts of the accepted intake's pain map (Intake.pain_regions): the
    # dashboard's region filter.
    regions = models.PositiveIntegerField(default=0)
    phase = models.PositiveSmallIntegerField(null=True, blank=True, choices=Phase)
    phase_started_on = models.DateField(null=True, blank=True)
    course_started_on = models.DateField(
        "course started (first phase change: the accepted intake)", null=True, blank=True
    )
    reached_phase_2_on = models.DateField(null=True, blank=True)
    reached_phase_3_on = models.DateField(null=True, blank=True)
    baseline_pain = models.DecimalField(
        "average pain at intake", max_digits=4, decimal_places=2, null=True, blank=True
    )
    latest_pain = models.DecimalField(
        "latest average pain since", max_digits=4, decimal_places=2, null=True, blank=True
    )
    latest_pain_on = models.DateField(null=True, blank=True)
    last_reading_on = models.DateField(null=True, blank=True)
    sessions = models.PositiveIntegerField(default=0)
    signed_sessions = models.PositiveIntegerField(default=0)
    signed_sessions_with_adverse_event = models.PositiveIntegerField(default=0)
    signed_adverse_events = models.PositiveIntegerField(default=0)
    serious_adverse_events = models.PositiveIntegerField(
        "serious adverse events (signed sessions)", default=0
    )
    adverse_events = models.PositiveIntegerField(default=0)
    needles = models.PositiveIntegerField("needles (a bilateral point counts two)", default=0)
    sessions_before_phase_2 = models.PositiveIntegerField(null=True, blank=True)
    sessions_before_phase_3 = models.PositiveIntegerField(null=True, blank=True)

    objects = PatientSummaryManager()

    class Meta:
        verbose_name_plural = "patient summaries"
        indexes = [models.Index(fields=["phase"], name="summary_phase")]  # the list's filter
        constraints = [
            models.CheckConstraint(
                condition=Q(phase__isnull=True) | Q(phase__gte=1, phase__lte=3),
                name="summary_phase_range",
            ),
            models.CheckConstraint(
                condition=Q(baseline_pain__isnull=True)
                | Q(baseline_pain__gte=0, baseline_pain__lte=10),
                name="summary_baseline_range",
            ),
            models.CheckConstraint(
                condition=Q(latest_pain__isnull=True) | Q(latest_pain__gte=0, latest_pain__lte=10),
                name="summary_latest_range",
            ),
            models.CheckConstraint(
                condition=Q(signed_sessions__lte=models.F("sessions"))
                & Q(signed_sessions_with_adverse_event__lte=models.F("signed_sessions"))
                & Q(serious_adverse_events__lte=models.F("signed_adverse_events")),
                name="summary_signed_counts_within",
            ),
        ]

    def __str__(self):
        return f"Summary of patient {self.patient_id}"

    @property
    def audit_patient_uuid(self):
        return self.patient.uuid
