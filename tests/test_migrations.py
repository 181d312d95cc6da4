"""The summary migrations on a database that already holds patients: they fill the new
columns (and on PostgreSQL, a backfill beside new indexes once failed with 'pending
trigger events' on any database with data)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("patients", "0010_summary_needles_adverse_events")


@pytest.fixture
def migrator(transactional_db):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    yield executor
    executor = MigrationExecutor(connection)  # back to the present for the next tests
    executor.migrate(latest)


def test_the_summary_columns_are_filled_for_existing_patients(migrator, practitioner):
    migrator.migrate([BEFORE])
    apps = migrator.loader.project_state([BEFORE]).apps
    Patient = apps.get_model("patients", "Patient")
    ana = Patient.objects.create(
        given_name="Ana", family_name="Old", date_of_birth="1980-01-01",
        status="discharged", practitioner_id=practitioner.pk,
    )  # fmt: skip
    apps.get_model("patients", "PatientSummary").objects.create(patient_id=ana.pk)

    migrator = MigrationExecutor(connection)
    migrator.migrate(migrator.loader.graph.leaf_nodes())

    from patients.models import PatientSummary

    summary = PatientSummary.objects.get(patient_id=ana.pk)
    assert (summary.status, summary.practitioner_id) == ("discharged", practitioner.pk)
