"""On PostgreSQL, a trigram index for the patient search (names and email, any part of
the word), so a search does not read every patient. SQLite has no such index; its search
reads the table, which is fine at a single clinic's size."""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

# Django writes `name__icontains` as UPPER("name"::text) LIKE UPPER(...): index the same.
CREATE = """
CREATE INDEX IF NOT EXISTS patient_search_trigram ON patients_patient USING gin (
    (UPPER(given_name::text)) gin_trgm_ops,
    (UPPER(family_name::text)) gin_trgm_ops,
    (UPPER(email::text)) gin_trgm_ops
)
"""


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(CREATE)
    except DatabaseError as error:  # no right to create the extension: search still works
        logger.warning("Patient search index not created: %s", error)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS patient_search_trigram")


class Migration(migrations.Migration):
    dependencies = [("patients", "0008_intake_dashboard_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]
