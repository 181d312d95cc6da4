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


# The audit and staff apps took over two models the clinic app created: the state moves, the
# tables (and every row in them) stay where they are.
CLINIC_BEFORE = ("clinic", "0003_audit_refuses_truncate")
BEFORE_THE_MOVE = [("audit", None), ("staff", None), CLINIC_BEFORE]


def test_moving_the_audit_and_staff_models_keeps_every_row(migrator, practitioner, clinic_admin):
    from tests.factories import PatientFactory
    from tests.session_factories import TreatmentSessionFactory

    migrator.migrate(BEFORE_THE_MOVE)
    old = migrator.loader.project_state([CLINIC_BEFORE]).apps
    ContentType = old.get_model("contenttypes", "ContentType")
    old_types = {
        model: ContentType.objects.get(app_label="clinic", model=model).pk
        for model in ("auditevent", "practitionerprofile")
    }
    patient = PatientFactory(practitioner=practitioner)
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner)
    OldAuditEvent = old.get_model("clinic", "AuditEvent")
    OldAuditEvent.objects.create(
        actor="lin", action="view", object_type="patients.patient",
        object_id=str(patient.pk), patient_uuid=patient.uuid, detail="before the move",
    )  # fmt: skip
    events = list(OldAuditEvent.objects.order_by("pk").values_list("pk", "action", "detail"))
    profile = old.get_model("clinic", "PractitionerProfile").objects.get(user_id=practitioner.pk)

    migrator = MigrationExecutor(connection)
    migrator.migrate(migrator.loader.graph.leaf_nodes())

    from django.contrib.auth.models import User
    from django.contrib.contenttypes.models import ContentType

    from audit.models import AuditEvent
    from patients.models import Patient
    from sessions.models import TreatmentSession
    from staff.models import PractitionerProfile

    assert len(events) >= 3  # the patient and the note were audited as they were made
    assert list(AuditEvent.objects.order_by("pk").values_list("pk", "action", "detail")) == events
    moved = PractitionerProfile.objects.get(user_id=practitioner.pk)
    assert (moved.pk, moved.display_name) == (profile.pk, profile.display_name)
    assert Patient.objects.filter(pk=patient.pk).exists()
    assert TreatmentSession.objects.filter(pk=session.pk, patient=patient).exists()
    # The content types moved with the models, so permissions granted on them still hold.
    assert ContentType.objects.get_for_model(AuditEvent).pk == old_types["auditevent"]
    assert (
        ContentType.objects.get_for_model(PractitionerProfile).pk
        == old_types["practitionerprofile"]
    )
    assert not ContentType.objects.filter(app_label="clinic").exists()
    assert User.objects.get(pk=clinic_admin.pk).has_perm("audit.view_auditevent")


def test_the_summary_migrations_fill_it_as_the_live_refresh_does(
    browser_db, migrator, practitioner
):
    """0007, 0010 and 0012 fill the summary with frozen copies of the code; on a database
    with a history they agree with PatientSummary.objects.refresh as it is today."""
    from patients.models import PatientSummary, PhaseChange
    from sessions.models import AdverseEvent
    from tests.factories import CheckInFactory, PatientFactory, StartedCourseFactory
    from tests.progress_helpers import days_ago
    from tests.session_factories import SessionOnDateFactory

    ana = PatientFactory(practitioner=practitioner)
    StartedCourseFactory(
        patient=ana, accepted_by=practitioner, on=days_ago(40), baseline__pain_average=8
    )
    first = SessionOnDateFactory(
        patient=ana, practitioner=practitioner, on=days_ago(35), points=[("ST36", "B"), "LI4"]
    )
    AdverseEvent.objects.create(session=first, category="bleeding", severity="mild")
    SessionOnDateFactory(patient=ana, practitioner=practitioner, on=days_ago(28))
    CheckInFactory(patient=ana, taken_on=days_ago(21), pain_average=5)
    for phase, days in [(2, 20), (3, 5)]:
        PhaseChange.objects.create(
            patient=ana, phase=phase, started_on=days_ago(days), changed_by=practitioner
        )
    PatientSummary.objects.refresh(ana)
    PatientFactory(status="invited")  # nothing to summarise yet
    live = list(PatientSummary.objects.order_by("pk").values())

    migrator.migrate([("patients", "0006_phases_one_accepted_intake")])
    migrator = MigrationExecutor(connection)
    migrator.migrate(migrator.loader.graph.leaf_nodes())

    assert list(PatientSummary.objects.order_by("pk").values()) == live
    summary = live[0]  # ana's: two sessions, both before phase 3, three bilateral points
    assert (summary["sessions"], summary["adverse_events"], summary["needles"]) == (2, 1, 6)
    assert (summary["phase"], summary["sessions_before_phase_3"]) == (3, 2)


def test_the_outcome_weeks_and_regions_are_filled_as_the_live_refresh_does(
    browser_db, migrator, practitioner, second_practitioner
):
    """0016 fills the outcome weeks, the intakes' body parts and the summaries' copies with
    frozen copies of the code; on a database with a history they agree with the live
    refresh."""
    from patients.models import Intake, OutcomeWeek, PatientSummary
    from tests.dashboard.test_outcome_curves import build_clinic

    build_clinic(practitioner, second_practitioner)
    for intake in Intake.objects.all():
        areas = ["lower_back"] if intake.patient.given_name in "ABC" else ["knee_front_l"]
        intake.answers = {"pain": {"regions": areas}}
        intake.save(update_fields=["answers"])
    fields = ["patient", "week", "phase", "pain_reduction", "psfs_change_tenths", "active_150"]
    weeks = list(OutcomeWeek.objects.order_by("patient", "week").values(*fields))
    regions = list(PatientSummary.objects.order_by("pk").values_list("pk", "regions"))
    assert len(weeks) >= 9 and {mask for _, mask in regions} == {32, 128}

    migrator.migrate([("patients", "0015_phasechange_ended_on")])
    migrator = MigrationExecutor(connection)
    migrator.migrate(migrator.loader.graph.leaf_nodes())

    assert list(OutcomeWeek.objects.order_by("patient", "week").values(*fields)) == weeks
    assert list(PatientSummary.objects.order_by("pk").values_list("pk", "regions")) == regions
