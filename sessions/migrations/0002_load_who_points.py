"""Load the 361 WHO standard points and the 48 WHO extra points (sessions/catalogue/)."""

import csv
import unicodedata
from pathlib import Path

from django.db import migrations

CATALOGUE = Path(__file__).resolve().parent.parent / "catalogue" / "who_points.csv"
# Regions the catalogue gained later: loaded here as the region they had, and set by the
# migration that added them (0008_catalogue_corrections).
LATER_REGIONS = {"perineum": "abdomen"}


def fold(text):
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isalnum() and ch.isascii()).lower()


def load_points(apps, schema_editor):
    AcupuncturePoint = apps.get_model("treatment_sessions", "AcupuncturePoint")
    with CATALOGUE.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    AcupuncturePoint.objects.bulk_create(
        AcupuncturePoint(
            code=row["code"],
            channel=row["channel"],
            number=int(row["number"]),
            pinyin=row["pinyin"],
            pinyin_folded=fold(row["pinyin"]),
            region=LATER_REGIONS.get(row["region"], row["region"]),
            pregnancy_caution=row["pregnancy_caution"] == "1",
            lung_field=row["lung_field"] == "1",
            vessel_or_eye=row["vessel_or_eye"] == "1",
            caution=row["caution"],
        )
        for row in rows
    )


def unload_points(apps, schema_editor):
    AcupuncturePoint = apps.get_model("treatment_sessions", "AcupuncturePoint")
    AcupuncturePoint.objects.exclude(channel="CLINIC").delete()


class Migration(migrations.Migration):
    dependencies = [("treatment_sessions", "0001_initial")]

    operations = [migrations.RunPython(load_points, unload_points)]
