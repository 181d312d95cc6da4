"""Each patient's outcome by week of their course, for the dashboard's outcome curves.

One row a patient and week since the course started (the accepted intake: week 0 is its
first seven days), in the weeks holding a reading after the intake: the phase the patient
was in at the end of that week, the week's last average pain as a reduction from the
intake's (per cent, rounded), its last PSFS mean as a change from the intake's (points),
and whether its last active minutes reached 150. Derived data, with one way in:
PatientSummary.objects.refresh() calls OutcomeWeek.objects.rewrite() in the same
transaction, and refresh_many() calls rewrite_many().

The values are whole per cents, tenths of a point and yes or no, so the dashboard counts
patients by (week, phase, value) in the database and takes medians and quartiles from
those counts: a few thousand rows at most, whatever the size of the register.
"""

from bisect import bisect_right
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import accumulate, groupby

from django.db import models
from django.db.models import Case, Count, F, IntegerField, Q, Value, When

from patients.models.phases import PhaseChange
from patients.models.readings import OutcomeReading
from patients.scoring import improvement_percent

# The curves follow the first year of a course.
LAST_WEEK = 52
MEASURES = ["pain_average", "psfs", "active_minutes"]
ACTIVE_TARGET = 150  # minutes a week (CLINICAL.md section 2)
# The curves' measures, and the field each is kept in.
FIELDS = {
    "pain_reduction": "pain_reduction",
    "psfs_change": "psfs_change_tenths",
    "active_150": "active_150",
}
VALUES = list(FIELDS)
# A week is drawn when at least this many patients have a value in it.
MIN_PATIENTS = 5


def outcome_weeks(phases, readings):
    """The rows of one patient, as dicts of OutcomeWeek's fields: `phases` are their
    (started_on, phase) in order, `readings` their (measure, value, taken_on, source) of
    MEASURES in (taken_on, id) order. Empty before the course starts."""
    if not phases:
        return []
    started = phases[0][0]
    baseline = {}
    last = {}
    for measure, value, taken_on, source in readings:
        if source == "intake":
            baseline.setdefault(measure, value)
            continue
        week = (taken_on - started).days // 7
        if 0 <= week <= LAST_WEEK:
            last.setdefault(week, {})[measure] = value
    starts = [day for day, _ in phases]
    rows = []
    for week, values in sorted(last.items()):
        end = started + timedelta(days=week * 7 + 6)
        phase = phases[bisect_right(starts, end) - 1][1]
        reduction = improvement_percent(baseline.get("pain_average"), values.get("pain_average"))
        psfs, psfs_baseline = values.get("psfs"), baseline.get("psfs")
        minutes = values.get("active_minutes")
        rows.append(
            {
                "week": week,
                "phase": phase,
                "pain_reduction": (
                    None if reduction is None else int(reduction.quantize(1, ROUND_HALF_UP))
                ),
                "psfs_change_tenths": (
                    None
                    if psfs is None or psfs_baseline is None
                    else int(
                        ((Decimal(psfs) - Decimal(psfs_baseline)) * 10).quantize(1, ROUND_HALF_UP)
                    )
                ),
                "active_150": None if minutes is None else minutes >= ACTIVE_TARGET,
            }
        )
    return [row for row in rows if any(row[k] is not None for k in FIELDS.values())]


def quartiles(counts, scale=1):
    """The first quartile, median and third quartile of the values counted in `counts`
    (value -> number of patients), divided by `scale`, as Decimals, as
    statistics.quantiles(method="inclusive") and statistics.median give them for the values
    written out, without writing them out."""
    values = sorted(counts)
    ends = list(accumulate(counts[value] for value in values))

    def nth(i):  # the i-th value (from 0) in order
        return values[bisect_right(ends, i)]

    m = ends[-1] - 1
    found = []
    for i in (1, 2, 3):
        j, delta = divmod(i * m, 4)
        low = nth(j)
        high = nth(j + 1) if delta else low
        found.append(Decimal(low * (4 - delta) + high * delta) / (4 * scale))
    return found


# How OutcomeWeekQuerySet.counts() sends each value: a whole number, in these units.
SCALES = {"pain_reduction": 1, "psfs_change": 10, "active_150": 1}


def curves(rows):
    """The dashboard's outcome curves from OutcomeWeekQuerySet.counts(): for each measure
    and for all patients (phase 0) and each phase, the weeks with at least MIN_PATIENTS
    patients, with their median, quartiles (pain, PSFS) or share (active), and the weeks
    left out for having fewer."""
    counts = {}
    for measure, week, phase, value, n in rows:
        for group in (0, phase):
            counted = counts.setdefault((measure, group, week), {})
            counted[value] = counted.get(value, 0) + n
    found = {
        measure: {group: {"rows": [], "thin": []} for group in (0, 1, 2, 3)} for measure in VALUES
    }
    for (measure, group, week), counted in sorted(counts.items()):
        name = VALUES[measure]
        curve = found[name][group]
        patients = sum(counted.values())
        if patients < MIN_PATIENTS:
            curve["thin"].append(week)
            continue
        row = {"week": week, "patients": patients}
        if name == "active_150":
            row["share"] = round(Decimal(counted.get(1, 0) * 100) / patients, 1)
        else:
            q1, median, q3 = (round(v, 1) for v in quartiles(counted, SCALES[name]))
            row |= {"q1": q1, "median": median, "q3": q3}
        curve["rows"].append(row)
    return found


class OutcomeWeekQuerySet(models.QuerySet):
    def counts(self):
        """Patients by (measure, week, phase, value) as tuples, for the curves: one query,
        the union of a GROUP BY a measure. The measure is its index in VALUES, the value a
        whole number (PSFS in tenths of a point, active as 0 or 1)."""
        number = IntegerField()
        values = {
            "pain_reduction": F("pain_reduction"),
            "psfs_change_tenths": F("psfs_change_tenths"),
            # PostgreSQL casts no boolean to a number.
            "active_150": Case(When(active_150=True, then=Value(1)), default=Value(0)),
        }
        parts = [
            self.filter(**{f"{field}__isnull": False})
            .order_by()
            .annotate(measure=Value(n, number), value=value)
            .values_list("measure", "week", "phase", "value")
            .annotate(n=Count("pk"))
            for n, (field, value) in enumerate(values.items())
        ]
        return parts[0].union(*parts[1:], all=True)


class OutcomeWeekManager(models.Manager.from_queryset(OutcomeWeekQuerySet)):
    def rewrite(self, patient_id, using=None):
        """Rewrite one patient's rows from their phases and readings (four queries)."""
        from_db = self.db_manager(using)
        phases = list(
            PhaseChange.objects.using(from_db.db)
            .filter(patient_id=patient_id)
            .order_by("started_on", "id")
            .values_list("started_on", "phase")
        )
        from_db.filter(patient_id=patient_id).delete()
        if not phases:
            return
        readings = (
            OutcomeReading.objects.using(from_db.db)
            .filter(patient_id=patient_id, measure__in=MEASURES)
            .order_by("taken_on", "id")
            .values_list("measure", "value", "taken_on", "source")
        )
        from_db.bulk_create(
            self.model(patient_id=patient_id, **row) for row in outcome_weeks(phases, readings)
        )

    def rewrite_many(self, patients):
        """Rewrite the rows of every patient in the queryset `patients`, in batches."""
        ids = patients.values("pk")
        self.filter(patient__in=ids).delete()
        phases = (
            PhaseChange.objects.filter(patient__in=ids)
            .order_by("patient_id", "started_on", "id")
            .values_list("patient_id", "started_on", "phase")
        )
        readings = (
            OutcomeReading.objects.filter(patient__in=ids, measure__in=MEASURES)
            .order_by("patient_id", "taken_on", "id")
            .values_list("patient_id", "measure", "value", "taken_on", "source")
        )
        by_patient = {
            pk: [row[1:] for row in rows]
            for pk, rows in groupby(phases.iterator(), key=lambda row: row[0])
        }
        batch = []
        for pk, rows in groupby(readings.iterator(), key=lambda row: row[0]):
            for row in outcome_weeks(by_patient.get(pk, []), [r[1:] for r in rows]):
                batch.append(self.model(patient_id=pk, **row))
            if len(batch) >= 5000:
                self.bulk_create(batch)
                batch = []
        self.bulk_create(batch)


class OutcomeWeek(models.Model):
    patient = models.ForeignKey(
        "patients.Patient", on_delete=models.CASCADE, related_name="outcome_weeks"
    )
    week = models.PositiveSmallIntegerField("week since the course started")
    phase = models.PositiveSmallIntegerField()
    pain_reduction = models.SmallIntegerField(
        "average pain, reduction from the intake (%)", null=True, blank=True
    )
    # In tenths, so that the dashboard groups whole numbers (decimals took PostgreSQL twice
    # as long).
    psfs_change_tenths = models.SmallIntegerField(
        "PSFS mean, change from the intake (tenths of a point)", null=True, blank=True
    )
    active_150 = models.BooleanField("active at least 150 minutes", null=True, blank=True)

    objects = OutcomeWeekManager()

    class Meta:
        ordering = ["patient", "week"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "week"], name="outcomeweek_once"),
            models.CheckConstraint(
                condition=Q(week__gte=0, week__lte=LAST_WEEK), name="outcomeweek_week_range"
            ),
            models.CheckConstraint(
                condition=Q(phase__gte=1, phase__lte=3), name="outcomeweek_phase_range"
            ),
            # From a baseline of 1 to a pain of 10 is -900 %; no pain at all is 100 %.
            models.CheckConstraint(
                condition=Q(pain_reduction__isnull=True)
                | Q(pain_reduction__gte=-900, pain_reduction__lte=100),
                name="outcomeweek_pain_range",
            ),
            models.CheckConstraint(
                condition=Q(psfs_change_tenths__isnull=True)
                | Q(psfs_change_tenths__gte=-100, psfs_change_tenths__lte=100),
                name="outcomeweek_psfs_range",
            ),
            models.CheckConstraint(
                condition=Q(pain_reduction__isnull=False)
                | Q(psfs_change_tenths__isnull=False)
                | Q(active_150__isnull=False),
                name="outcomeweek_something_measured",
            ),
        ]

    def __str__(self):
        return f"Week {self.week} of patient {self.patient_id}"
