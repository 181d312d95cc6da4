"""The catalogue corrections reach a database loaded before them (issue 13), through the
migrations: its points gain their midline, needle counts, other names, regions and flags; a
flag or caution the clinic set itself stays; the summaries count needles per point again;
and on SQLite the triggers that lock a signed note are back, naming every column (the
catalogue's and the sign review's signed_with) and guarding the acknowledgements too."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from tests.conftest import restore_migrated_data

BEFORE = [("treatment_sessions", "0006_caution_acknowledgements_signed_with")]


@pytest.fixture
def migrator(transactional_db):
    restore_migrated_data()  # a transactional test before this one emptied the catalogue
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    yield executor
    executor = MigrationExecutor(connection)  # back to the present for the next tests
    executor.migrate(latest)


def test_an_existing_catalogue_gets_the_corrections_and_keeps_the_clinics_edits(
    migrator, patient, practitioner
):
    migrator.migrate(BEFORE)
    old = migrator.loader.project_state(BEFORE).apps
    Point = old.get_model("treatment_sessions", "AcupuncturePoint")
    assert Point.objects.get(code="CV1").region == "abdomen"
    Point.objects.filter(code="SI12").update(caution="The clinic's own words.")
    Point.objects.filter(code="ST36").update(lung_field=True, caution="Clinic flag.")
    session = old.get_model("treatment_sessions", "TreatmentSession").objects.create(
        patient_id=patient.pk, practitioner_id=practitioner.pk, session_number=1
    )
    old.get_model("treatment_sessions", "SessionPoint").objects.create(
        session=session, point=Point.objects.get(code="EX-UE9"), side="B"
    )

    migrator = MigrationExecutor(connection)
    migrator.migrate(migrator.loader.graph.leaf_nodes())

    from patients.models import PatientSummary
    from sessions.models import AcupuncturePoint

    points = AcupuncturePoint.objects.in_bulk(field_name="code")
    assert points["CV1"].region == "perineum"
    assert (points["EX-HN3"].midline, points["EX-UE9"].needles_per_side) == (True, 4)
    assert (points["EX-B2"].second_region, points["EX-B2"].other_names) == (
        "lower back",
        "Huatuojiaji",
    )
    assert points["GV26"].other_names_folded == " renzhong "
    assert points["CV8"].do_not_needle and points["CV8"].caution
    assert points["SI12"].lung_field and points["SI12"].caution == "The clinic's own words."
    assert points["ST36"].lung_field and points["ST36"].caution == "Clinic flag."
    assert all(points[code].midline for code in ("GV20", "CV12"))
    assert PatientSummary.objects.get(patient=patient).needles == 8


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps its triggers")
def test_sqlite_locks_a_signed_note_again_after_the_migrations_rebuilt_its_tables(
    migrator, patient, practitioner
):
    migrator.migrate(BEFORE)
    migrator = MigrationExecutor(connection)
    migrator.migrate(migrator.loader.graph.leaf_nodes())

    from sessions.models import CautionAcknowledgement, SessionPoint, TreatmentSession
    from tests.session_factories import TreatmentSessionFactory

    draft = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["LU1"])
    draft.sign(by=practitioner, acknowledged={"lung_field:LU1"}, signed_with=["notes"])
    signed = TreatmentSession.objects.get(pk=draft.pk)
    changes = [
        {"other_co_intervention": "TENS"},
        {"electro_frequency_2_hz": 100},
        {"signed_with": "no notes text"},
        {"subjective": "rewritten"},
    ]
    for change in changes:
        with pytest.raises(DatabaseError), transaction.atomic():
            TreatmentSession.objects.filter(pk=signed.pk).update(**change)
    with pytest.raises(DatabaseError), transaction.atomic():
        SessionPoint.objects.filter(session=signed).update(needles_per_side=2)
    with pytest.raises(DatabaseError), transaction.atomic():
        SessionPoint.objects.filter(session=signed).update(needle_length_mm=25)
    with pytest.raises(DatabaseError), transaction.atomic():
        CautionAcknowledgement.objects.filter(session=signed).update(message="rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        CautionAcknowledgement.objects.bulk_create(
            [
                CautionAcknowledgement(
                    session=signed, caution="late", message="Late.", acknowledged_by=practitioner
                )
            ]
        )
    assert TreatmentSession.objects.get(pk=signed.pk).signed_with == signed.signed_with
