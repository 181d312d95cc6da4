"""The catalogue corrections of issue 13 for databases loaded before them (and the new
columns for every database): each WHO point's midline, needles per side, second region,
other names and moxibustion-only flag from sessions/catalogue/who_points.csv; the lung-field
flags it adds (a flag a clinic set stays set: flags are only raised here, and a caution a
clinic wrote is kept); the regions corrected (CV1, the perineum). Then the patients'
summaries count their needles again, per point (a frozen copy of patients.summary's rule).
"""

import csv
import unicodedata
from pathlib import Path

from django.db import migrations
from django.db.models import Case, F, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

CATALOGUE = Path(__file__).resolve().parent.parent / "catalogue" / "who_points.csv"
NEW_COLUMNS = ["second_region", "midline", "needles_per_side", "do_not_needle", "other_names"]
CORRECTED_REGIONS = {"CV1"}
FLAGS = ["pregnancy_caution", "lung_field", "vessel_or_eye"]


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isalnum() and ch.isascii()).lower()


def fold_words(text):
    words = [folded for word in text.split() if (folded := fold(word))]
    return f" {' '.join(words)} " if words else " "


def value(row, column):
    if column in ("midline", "do_not_needle", *FLAGS):
        return row[column] == "1"
    if column == "needles_per_side":
        return int(row[column])
    return row[column]


def catalogue_rows():
    with CATALOGUE.open(newline="", encoding="utf-8") as file:
        return {row["code"]: row for row in csv.DictReader(file)}


def load_points(apps, schema_editor):
    """The whole catalogue as it is now, into an empty table (tests.conftest puts it back
    with this after a live-server test's flush)."""
    AcupuncturePoint = apps.get_model("treatment_sessions", "AcupuncturePoint")
    columns = ["channel", "pinyin", "region", *NEW_COLUMNS, *FLAGS, "caution"]
    AcupuncturePoint.objects.bulk_create(
        AcupuncturePoint(
            code=code,
            number=int(row["number"]),
            pinyin_folded=fold(row["pinyin"]),
            other_names_folded=fold_words(row["other_names"]),
            **{column: value(row, column) for column in columns},
        )
        for code, row in catalogue_rows().items()
    )


def correct_points(apps, schema_editor):
    AcupuncturePoint = apps.get_model("treatment_sessions", "AcupuncturePoint")
    rows = catalogue_rows()
    points = list(AcupuncturePoint.objects.filter(code__in=rows))
    for point in points:
        row = rows[point.code]
        for column in NEW_COLUMNS:
            setattr(point, column, value(row, column))
        point.other_names_folded = fold_words(point.other_names)
        raised = [flag for flag in FLAGS if value(row, flag) and not getattr(point, flag)]
        for flag in raised:
            setattr(point, flag, True)
        if (raised or point.do_not_needle) and not point.caution:
            point.caution = row["caution"]
        if point.code in CORRECTED_REGIONS:
            point.region = row["region"]
    AcupuncturePoint.objects.bulk_update(
        points, [*NEW_COLUMNS, "other_names_folded", *FLAGS, "caution", "region"]
    )


def uncorrect_regions(apps, schema_editor):
    """Going back: the regions as they were, which the constraint before 0007 allows."""
    AcupuncturePoint = apps.get_model("treatment_sessions", "AcupuncturePoint")
    AcupuncturePoint.objects.filter(region="perineum").update(region="abdomen")


def count_needles(apps, schema_editor):
    Summary = apps.get_model("patients", "PatientSummary")
    SessionPoint = apps.get_model("treatment_sessions", "SessionPoint")
    per_side = Coalesce(F("needles_per_side"), F("point__needles_per_side"))
    needles = (
        SessionPoint.objects.filter(session__patient=OuterRef("patient_id"))
        .order_by()
        .values("session__patient")
        .annotate(n=Sum(per_side * Case(When(side="B", then=Value(2)), default=Value(1))))
        .values("n")
    )
    Summary.objects.update(
        needles=Coalesce(Subquery(needles, output_field=IntegerField()), Value(0))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0010_summary_needles_adverse_events"),
        ("treatment_sessions", "0007_catalogue_needles_and_stricta_details"),
    ]

    operations = [
        migrations.RunPython(correct_points, uncorrect_regions),
        migrations.RunPython(count_needles, migrations.RunPython.noop),
    ]
