"""A small per-patient summary, so the clinic dashboard aggregates one row a patient
instead of scanning every reading, session and phase change on each view.

It is derived data with one way in: PatientSummary.objects.refresh(patient) rewrites a
patient's row from the patient and the history (patients.summary), called once in the
transaction of every write that changes it, by the code that writes: the patient's own
pages, admin and commands (its status and practitioner), the intake actions, a check-in,
a phase change, a session note from the form or the admin.
"""

from django.conf import settings
from django.db import connections, models, router, transaction
from django.db.models import Q
from django.utils import timezone

from patients.models.phases import Phase
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


class PatientSummaryManager(models.Manager):
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
