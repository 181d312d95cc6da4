"""The dashboard's outcome curves and body-region filter: each patient's outcome by week
of their course (OutcomeWeek), and the body parts of the intake's pain map (on the intake,
copied to the summary). Filled here for existing rows with frozen copies of
patients.bodymap.parts_mask and patients.models.outcomes.outcome_weeks."""

from bisect import bisect_right
from datetime import timedelta
from decimal import ROUND_HALF_UP
from itertools import groupby

import django.db.models.deletion
from django.db import migrations, models


# Frozen copies: the map's areas by body part, one bit a part, in PARTS' order.
PARTS = [
    ["head_front", "neck_front", "head_back", "neck_back"],
    ["shoulder_front_l", "shoulder_front_r", "shoulder_back_l", "shoulder_back_r"],
    ["arm_front_l", "arm_front_r", "arm_back_l", "arm_back_r", "hand_l", "hand_r"],
    ["chest", "abdomen"],
    ["upper_back"],
    ["lower_back"],
    ["hip_front_l", "hip_front_r", "buttock_l", "buttock_r"]
    + ["thigh_front_l", "thigh_front_r", "thigh_back_l", "thigh_back_r"],
    ["knee_front_l", "knee_front_r", "knee_back_l", "knee_back_r"],
    ["shin_l", "shin_r", "calf_l", "calf_r", "foot_l", "foot_r", "heel_l", "heel_r"],
]
AREA_BITS = {area: 1 << n for n, areas in enumerate(PARTS) for area in areas}


def weeks_of(phases, readings):
    started, starts = phases[0][0], [day for day, _ in phases]
    baseline, last = {}, {}
    for measure, value, taken_on, source in readings:
        if source == "intake":
            baseline.setdefault(measure, value)
        elif 0 <= (week := (taken_on - started).days // 7) <= 52:
            last.setdefault(week, {})[measure] = value
    for week, values in sorted(last.items()):
        phase = phases[bisect_right(starts, started + timedelta(days=week * 7 + 6)) - 1][1]
        pain, pain_baseline = values.get("pain_average"), baseline.get("pain_average")
        psfs, psfs_baseline = values.get("psfs"), baseline.get("psfs")
        minutes = values.get("active_minutes")
        row = {
            "week": week,
            "phase": phase,
            "pain_reduction": None
            if pain is None or not pain_baseline
            else int(((pain_baseline - pain) / pain_baseline * 100).quantize(1, ROUND_HALF_UP)),
            "psfs_change_tenths": None
            if psfs is None or psfs_baseline is None
            else int(((psfs - psfs_baseline) * 10).quantize(1, ROUND_HALF_UP)),
            "active_150": None if minutes is None else minutes >= 150,
        }
        if any(row[k] is not None for k in ("pain_reduction", "psfs_change_tenths", "active_150")):
            yield row


def fill(apps, schema_editor):
    Intake = apps.get_model("patients", "Intake")
    Summary = apps.get_model("patients", "PatientSummary")
    PhaseChange = apps.get_model("patients", "PhaseChange")
    Reading = apps.get_model("patients", "OutcomeReading")
    OutcomeWeek = apps.get_model("patients", "OutcomeWeek")
    for intake in Intake.objects.exclude(status="started").only("answers", "status", "patient"):
        mask = 0
        for area in intake.answers.get("pain", {}).get("regions", []):
            mask |= AREA_BITS.get(area, 0)
        Intake.objects.filter(pk=intake.pk).update(pain_regions=mask)
        if intake.status == "accepted":
            Summary.objects.filter(patient_id=intake.patient_id).update(regions=mask)
    phases = PhaseChange.objects.order_by("patient_id", "started_on", "id")
    by_patient = {
        pk: [row[1:] for row in rows]
        for pk, rows in groupby(
            phases.values_list("patient_id", "started_on", "phase").iterator(), lambda r: r[0]
        )
    }
    readings = Reading.objects.filter(measure__in=["pain_average", "psfs", "active_minutes"])
    readings = readings.order_by("patient_id", "taken_on", "id").values_list(
        "patient_id", "measure", "value", "taken_on", "source"
    )
    batch = []
    for pk, rows in groupby(readings.iterator(), lambda r: r[0]):
        if pk in by_patient:
            batch += [
                OutcomeWeek(patient_id=pk, **row)
                for row in weeks_of(by_patient[pk], [r[1:] for r in rows])
            ]
        if len(batch) >= 5000:
            OutcomeWeek.objects.bulk_create(batch)
            batch = []
    OutcomeWeek.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0015_phasechange_ended_on"),
    ]

    operations = [
        migrations.AddField(
            model_name="intake",
            name="pain_regions",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="patientsummary",
            name="regions",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.CreateModel(
            name="OutcomeWeek",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "week",
                    models.PositiveSmallIntegerField(verbose_name="week since the course started"),
                ),
                ("phase", models.PositiveSmallIntegerField()),
                (
                    "pain_reduction",
                    models.SmallIntegerField(
                        blank=True,
                        null=True,
                        verbose_name="average pain, reduction from the intake (%)",
                    ),
                ),
                (
                    "psfs_change_tenths",
                    models.SmallIntegerField(
                        blank=True,
                        null=True,
                        verbose_name="PSFS mean, change from the intake (tenths of a point)",
                    ),
                ),
                (
                    "active_150",
                    models.BooleanField(
                        blank=True, null=True, verbose_name="active at least 150 minutes"
                    ),
                ),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="outcome_weeks",
                        to="patients.patient",
                    ),
                ),
            ],
            options={
                "ordering": ["patient", "week"],
                "constraints": [
                    models.UniqueConstraint(fields=("patient", "week"), name="outcomeweek_once"),
                    models.CheckConstraint(
                        condition=models.Q(("week__gte", 0), ("week__lte", 52)),
                        name="outcomeweek_week_range",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("phase__gte", 1), ("phase__lte", 3)),
                        name="outcomeweek_phase_range",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("pain_reduction__isnull", True),
                            models.Q(("pain_reduction__gte", -900), ("pain_reduction__lte", 100)),
                            _connector="OR",
                        ),
                        name="outcomeweek_pain_range",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("psfs_change_tenths__isnull", True),
                            models.Q(
                                ("psfs_change_tenths__gte", -100), ("psfs_change_tenths__lte", 100)
                            ),
                            _connector="OR",
                        ),
                        name="outcomeweek_psfs_range",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("pain_reduction__isnull", False),
                            ("psfs_change_tenths__isnull", False),
                            ("active_150__isnull", False),
                            _connector="OR",
                        ),
                        name="outcomeweek_something_measured",
                    ),
                ],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
