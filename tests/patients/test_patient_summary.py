"""The per-patient summary the dashboard reads stays right after every kind of write,
made through the app's own pages: a patient added or changed, an accepted intake, a
check-in (and a second one the same day, which edits its readings), a session note (new,
edited, with an adverse event, and in the admin) and a phase change. refresh_many() over
many patients agrees. (Each write refreshes it once: test_summary_refreshes_once.py.)"""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from patients.models import Patient, PatientSummary
from sessions.models import TreatmentSession
from tests.concurrency import waits_for
from tests.factories import CheckInFactory, PatientFactory, StartedCourseFactory
from tests.intake_helpers import check_in
from tests.patient_helpers import edit_url, valid_data
from tests.session_factories import TreatmentSessionFactory
from tests.session_helpers import log_session, point_row, session_data

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)


def summary_of(patient):
    return PatientSummary.objects.get(patient=patient)


def test_a_new_patient_has_a_summary_with_status_and_practitioner_only(
    practitioner_client, practitioner
):
    data = valid_data(practitioner=practitioner.pk)
    assert practitioner_client.post(reverse("patients:create"), data).status_code == 302
    summary = summary_of(Patient.objects.get(family_name="Novak"))
    assert (summary.status, summary.practitioner) == ("active", practitioner)
    assert (summary.phase, summary.baseline_pain, summary.sessions) == (None, None, 0)


def test_a_status_or_practitioner_change_reaches_the_summary(
    practitioner_client, patient, second_practitioner
):
    data = valid_data(given_name="Ana", family_name="Silva", practitioner=second_practitioner.pk)
    assert practitioner_client.post(edit_url(patient), data).status_code == 302
    archive = reverse("patients:archive", kwargs={"patient_uuid": patient.uuid})
    assert practitioner_client.post(archive).status_code == 302
    summary = summary_of(patient)
    assert (summary.status, summary.practitioner) == ("archived", second_practitioner)


def test_accepting_the_intake_starts_phase_1_with_the_baseline(ana):
    summary = summary_of(ana)
    assert (summary.phase, summary.phase_started_on) == (1, TODAY)
    assert summary.baseline_pain == Decimal("8")
    assert summary.latest_pain is None
    assert summary.last_reading_on == TODAY
    assert (summary.sessions, summary.signed_sessions_with_adverse_event) == (0, 0)


def test_a_checkin_sets_the_latest_pain(ana, client):
    check_in(client, ana, pain_average=5)
    summary = summary_of(ana)
    assert (summary.latest_pain, summary.latest_pain_on) == (Decimal("5"), TODAY)
    assert summary.baseline_pain == Decimal("8")


def test_a_second_checkin_the_same_day_edits_the_latest_pain(ana, client):
    check_in(client, ana, pain_average=5)
    check_in(client, ana, pain_average=3)
    assert summary_of(ana).latest_pain == Decimal("3")


def test_a_session_note_counts_and_its_adverse_event_too(ana, practitioner_client):
    log_session(practitioner_client, ana)
    adverse = [{"category": "bleeding", "severity": "mild", "description": "Small bruise."}]
    log_session(practitioner_client, ana, adverse=adverse)
    summary = summary_of(ana)
    assert summary.sessions == 2
    assert summary.adverse_events == 1
    # Drafts: the clinic's adverse-event rate waits for them to be signed.
    assert (summary.signed_sessions, summary.signed_sessions_with_adverse_event) == (0, 0)
    assert summary.needles == 4  # ST36 on both sides, twice


def test_editing_a_draft_note_leaves_the_count_and_updates_its_readings(ana, practitioner_client):
    session = log_session(practitioner_client, ana)
    url = reverse("sessions:edit", kwargs={"patient_uuid": ana.uuid, "session_uuid": session.uuid})
    data = session_data(
        [point_row("ST36", id=session.points.get().pk)],
        started_at=f"{YESTERDAY}T10:00",
        pain_before="9",
        initial_points=1,
    )
    assert practitioner_client.post(url, data).status_code == 302
    assert summary_of(ana).sessions == 1
    values = dict(session.readings.values_list("measure", "value"))
    assert values["session_pain_before"] == Decimal("9")


def test_a_phase_change_moves_the_phase_and_counts_the_sessions_before_it(ana, practitioner_client):
    log_session(practitioner_client, ana)
    url = reverse("patients:phase_change", kwargs={"patient_uuid": ana.uuid})
    posted = {"phase": "2", "started_on": TODAY.isoformat(), "reason": "Pain well down"}
    assert practitioner_client.post(url, posted).status_code == 302
    summary = summary_of(ana)
    assert (summary.phase, summary.phase_started_on) == (2, TODAY)
    assert (summary.reached_phase_2_on, summary.sessions_before_phase_2) == (TODAY, 1)
    assert summary.sessions_before_phase_3 is None


def test_a_draft_note_deleted_in_the_admin_is_no_longer_counted(ana, practitioner_client):
    # Without pain scores: the admin refuses to delete a note's readings.
    session = log_session(practitioner_client, ana, pain_before=None, pain_after=None)
    boss = get_user_model().objects.create_superuser("boss", password="x")
    practitioner_client.force_login(boss)
    url = reverse("admin:treatment_sessions_treatmentsession_delete", args=[session.pk])
    assert practitioner_client.post(url, {"post": "yes"}).status_code == 302
    assert not TreatmentSession.objects.filter(pk=session.pk).exists()
    assert summary_of(ana).sessions == 0


def test_refreshing_many_patients_at_once_gives_the_same_summaries(
    ana, client, practitioner_client
):
    check_in(client, ana, pain_average=4)
    log_session(practitioner_client, ana)
    before = PatientSummary.objects.values().get(patient=ana)
    PatientSummary.objects.all().delete()
    PatientSummary.objects.refresh_many(Patient.objects.all())
    assert PatientSummary.objects.values().get(patient=ana) == before


def test_the_refresh_summaries_command_rewrites_a_summary_changed_by_hand(ana, client):
    from django.core.management import call_command

    check_in(client, ana, pain_average=4)
    right = PatientSummary.objects.values().get(patient=ana)
    PatientSummary.objects.filter(patient=ana).update(latest_pain=9, phase=3)
    call_command("refresh_summaries", stdout=StringIO())
    assert PatientSummary.objects.values().get(patient=ana) == right


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite runs one write transaction at a time"
)
def test_two_writes_at_once_leave_the_summary_right(browser_db, practitioner):
    """A check-in holds the summary while a session note for the same patient waits for
    it: the note's refresh must see the check-in once it commits (without the lock it
    computed from the data as it was before)."""
    patient = PatientFactory(practitioner=practitioner)
    StartedCourseFactory(patient=patient, accepted_by=practitioner, on=YESTERDAY)

    def check_in_and_hold(hold):
        with transaction.atomic():
            CheckInFactory(patient=patient, taken_on=TODAY, pain_average=1)
            hold()

    def log_a_session():
        with transaction.atomic():  # as save_session: the note, then one refresh
            session = TreatmentSessionFactory.build(patient=patient, practitioner=practitioner)
            TreatmentSession.objects.bulk_create([session])
            PatientSummary.objects.refresh(patient)

    assert waits_for(check_in_and_hold, log_a_session)  # for the summary's lock
    summary = summary_of(patient)
    assert (summary.latest_pain, summary.latest_pain_on, summary.sessions) == (1, TODAY, 1)


def test_the_admin_does_not_move_a_note_to_another_patient(ana, practitioner_client):
    session = log_session(practitioner_client, ana)
    boss = get_user_model().objects.create_superuser("boss", password="x")
    practitioner_client.force_login(boss)
    url = reverse("admin:treatment_sessions_treatmentsession_change", args=[session.pk])
    form = practitioner_client.get(url).context["adminform"].form
    assert "patient" not in form.fields


@pytest.mark.parametrize("model", ["checkin", "intake"])
def test_the_admin_does_not_delete_check_ins_or_intakes(ana, client, model):
    check_in(client, ana, pain_average=4)
    boss = get_user_model().objects.create_superuser("boss", password="x")
    client.force_login(boss)
    row = (ana.checkins if model == "checkin" else ana.intakes).get()
    url = reverse(f"admin:patients_{model}_delete", args=[row.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert summary_of(ana).latest_pain == 4


def test_a_clinic_admin_reads_a_summary_in_the_admin_and_it_is_audited(ana, admin_client_):
    from audit.models import AuditEvent

    url = reverse("admin:patients_patientsummary_change", args=[ana.pk])
    assert admin_client_.get(url).status_code == 200
    assert AuditEvent.objects.filter(
        action="view", object_type="patients.patientsummary", patient_uuid=ana.uuid
    ).exists()
    assert admin_client_.post(url, {"sessions": 99}).status_code == 403
    assert summary_of(ana).sessions == 0
