"""GV and CV points lie on the midline and channel points are paired, now that 0008 has
marked them; and the SQLite triggers of 0005 and 0006, put back: 0007 rebuilt the note's and
the points' tables (SQLite alters a table's constraints by copying it, which drops its
triggers), and the note's UPDATE trigger lists its columns, so it now lists every one of
them, 0006's signed_with and 0007's among them. PostgreSQL keeps its triggers, which
compare whole rows."""

from importlib import import_module

from django.db import migrations, models

catalogue = import_module("sessions.migrations.0007_catalogue_needles_and_stricta_details")


class Migration(migrations.Migration):
    dependencies = [("treatment_sessions", "0008_catalogue_corrections")]

    operations = [
        migrations.AddConstraint(
            model_name="acupuncturepoint",
            constraint=models.CheckConstraint(
                condition=models.Q(("channel__in", ["GV", "CV"]), _negated=True)
                | models.Q(("midline", True)),
                name="point_gv_cv_on_midline",
            ),
        ),
        migrations.AddConstraint(
            model_name="acupuncturepoint",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "channel__in",
                        ["BL", "GB", "HT", "KI", "LI", "LR", "LU", "PC", "SI", "SP", "ST", "TE"],
                    ),
                    _negated=True,
                )
                | models.Q(("midline", False)),
                name="point_channel_points_paired",
            ),
        ),
        migrations.RunPython(catalogue.put_back_sqlite_triggers, catalogue.drop_sqlite_triggers),
    ]
