"""A small per-patient summary, so the clinic dashboard aggregates one row a patient
instead of scanning every reading, session and phase change on each view.

It is derived data with one way in: PatientSummary.objects.refresh(patient) rewrites a
patient's row from the patient and the history (patients.summary), called once in the
transaction of every write that changes it, by the code that writes: the patient's own
pages, admin and commands (its status and practitioner), the intake actions, a check-in,
a phase change, a session note from the form or the admin.
"""

from decimal import Decimal
from statistics import median

from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from patients.models.intake import Intake
from patients.models.phases import Phase, PhaseSuggestion
from patients.models.records import Patient, evaluable, quiet_since, responding
from patients.summary import fresh_values

# One patient's UPDATE is compiled once a process (per database and time zone) and run
# with the patient's id in place of this stand-in: building and compiling its twenty
# subqueries takes Django about 8 ms, running it about 1.5 ms.
STAND_IN = -424242
_statements = {}


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


class PatientSummaryQuerySet(models.QuerySet):
    def for_dashboard(self, practitioner=None, today=None):
        """Everything the clinic dashboard shows, for the clinic or for one practitioner's
        patients, in four queries whatever the size of the register: patients by status,
        active patients by phase, quiet, evaluable and responding, the treatments behind
        them (one pass over the summaries), the sessions before phases 2 and 3 (one over
        those that reached them), waiting intakes and open suggestions."""
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
            sessions=Sum("sessions", default=0),
            with_adverse_event=Sum("sessions_with_adverse_event", default=0),
        )
        rows = summaries.filter(
            Q(sessions_before_phase_2__isnull=False) | Q(sessions_before_phase_3__isnull=False)
        ).values_list("sessions_before_phase_2", "sessions_before_phase_3")
        to_2 = [row[0] for row in rows if row[0] is not None]
        to_3 = [row[1] for row in rows if row[1] is not None]
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
            "sessions": counts["sessions"],
            "with_adverse_event": counts["with_adverse_event"],
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
            "to_phase_2": median(to_2) if to_2 else None,
            "to_phase_3": median(to_3) if to_3 else None,
            "treatments": treatments,
            "ae_rate": (
                Decimal(treatments["with_adverse_event"] * 100) / treatments["sessions"]
                if treatments["sessions"]
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

    @transaction.atomic(savepoint=False)
    def refresh_many(self, patients):
        """Rewrite the summaries of every patient in the queryset `patients` in one UPDATE:
        for the demo seed, `manage.py refresh_summaries` and a bulk delete of notes."""
        missing = patients.filter(summary__isnull=True).values_list("pk", flat=True)
        self.bulk_create((self.model(patient_id=pk) for pk in missing.iterator()), batch_size=5000)
        self.filter(patient__in=patients.values("pk")).update(**fresh_values())


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
    phase = models.PositiveSmallIntegerField(null=True, blank=True, choices=Phase)
    phase_started_on = models.DateField(null=True, blank=True)
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
    sessions_with_adverse_event = models.PositiveIntegerField(default=0)
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
                condition=Q(sessions_with_adverse_event__lte=models.F("sessions")),
                name="summary_adverse_events_within_sessions",
            ),
        ]

    def __str__(self):
        return f"Summary of patient {self.patient_id}"

    @property
    def audit_patient_uuid(self):
        return self.patient.uuid
