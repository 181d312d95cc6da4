"""The per-patient summary the dashboard reads stays right after every kind of write,
made through the app's own pages: a patient added or changed, an accepted intake, a
check-in (and a second one the same day, which edits its readings), a session note (new,
edited, with an adverse event, and in the admin) and a phase change. refresh_many() over
many patients agrees. Each of those writes refreshes the summary once, through
PatientSummary.objects.refresh, its one way in."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from patients.models import Patient, PatientLink, PatientSummary, PsfsActivity
from patients.models.summary import PatientSummaryManager
from patients.progress import refresh_suggestion
from sessions.models import TreatmentSession
from tests.concurrency import waits_for
from tests.factories import PatientFactory
from tests.intake_helpers import checkin_url, invited_patient, submitted_intake
from tests.patient_helpers import edit_url, valid_data
from tests.progress_helpers import checkin, start_course
from tests.session_factories import TreatmentSessionFactory, point_row, session_data

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)


def summary_of(patient):
    return PatientSummary.objects.get(patient=patient)


@pytest.fixture
def ana(practitioner_client):
    """Invited, intake sent with average pain 8, accepted: phase 1 from today."""
    patient = invited_patient()
    intake = submitted_intake(patient, measures={"pain_average": "8"})
    kwargs = {"patient_uuid": patient.uuid, "intake_id": intake.pk}
    practitioner_client.post(reverse("patients:accept_intake", kwargs=kwargs))
    return Patient.objects.get(pk=patient.pk)


def check_in(client, patient, pain_average):
    _, token = PatientLink.issue(patient, PatientLink.Purpose.CHECKIN)
    data = {
        "pain_now": "4", "pain_average": str(pain_average), "pain_worst": "7", "enjoyment": "4",
        "activity": "5", "confidence": "6", "active_minutes": "120",
    }  # fmt: skip
    for activity in PsfsActivity.objects.filter(patient=patient):
        data[f"psfs_{activity.pk}"] = "5"
    assert client.post(checkin_url(token), data).status_code == 302


def log_session(client, patient, **fields):
    url = reverse("sessions:new", kwargs={"patient_uuid": patient.uuid})
    response = client.post(url, session_data(started_at=f"{YESTERDAY}T10:00", **fields))
    assert response.status_code == 302, response.content.decode()[:500]
    return patient.treatment_sessions.latest("session_number")


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
    assert (summary.sessions, summary.sessions_with_adverse_event) == (0, 0)


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
    assert (summary.sessions, summary.sessions_with_adverse_event) == (2, 1)
    assert summary.adverse_events == 1
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
    start_course(patient, practitioner, on=YESTERDAY)

    def check_in_and_hold(hold):
        with transaction.atomic():
            checkin(patient, TODAY, pain_average=1)
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


# One way in: every write refreshes the summary once, through PatientSummary.objects


@pytest.fixture
def refreshes(monkeypatch):
    """The refreshes made from here on: a patient's pk for each refresh(patient), a list
    of pks for each refresh_many(patients)."""
    calls = []
    refresh, refresh_many = PatientSummaryManager.refresh, PatientSummaryManager.refresh_many

    def counted(manager, patient):
        calls.append(patient.pk)
        return refresh(manager, patient)

    def counted_many(manager, patients):
        calls.append(sorted(patients.values_list("pk", flat=True)))
        return refresh_many(manager, patients)

    monkeypatch.setattr(PatientSummaryManager, "refresh", counted)
    monkeypatch.setattr(PatientSummaryManager, "refresh_many", counted_many)
    return calls


def test_submitting_an_intake_refreshes_once(db, refreshes):
    patient = invited_patient()
    refreshes.clear()
    submitted_intake(patient)  # every step, then the submit
    assert refreshes == [patient.pk]
    assert summary_of(patient).status == Patient.Status.INTAKE_SUBMITTED


def test_accepting_an_intake_refreshes_once_not_twice(practitioner_client, refreshes):
    patient = invited_patient()
    intake = submitted_intake(patient)
    refreshes.clear()
    kwargs = {"patient_uuid": patient.uuid, "intake_id": intake.pk}
    practitioner_client.post(reverse("patients:accept_intake", kwargs=kwargs))
    assert refreshes == [patient.pk]


def test_a_checkin_refreshes_once(ana, client, refreshes):
    check_in(client, ana, pain_average=5)
    assert refreshes == [ana.pk]


@pytest.mark.parametrize("action", ["draft", "sign"])
def test_a_new_note_refreshes_once_signed_or_not(ana, practitioner_client, refreshes, action):
    log_session(practitioner_client, ana, action=action)
    assert refreshes == [ana.pk]


def test_editing_a_draft_note_refreshes_once(ana, practitioner_client, refreshes):
    session = log_session(practitioner_client, ana)
    refreshes.clear()
    url = reverse("sessions:edit", kwargs={"patient_uuid": ana.uuid, "session_uuid": session.uuid})
    data = session_data((), started_at=f"{YESTERDAY}T10:00", version=session.version)
    assert practitioner_client.post(url, data).status_code == 302
    assert refreshes == [ana.pk]


def test_a_phase_change_refreshes_once(ana, practitioner_client, refreshes):
    url = reverse("patients:phase_change", kwargs={"patient_uuid": ana.uuid})
    posted = {"phase": "2", "started_on": TODAY.isoformat(), "reason": "Pain well down"}
    assert practitioner_client.post(url, posted).status_code == 302
    assert refreshes == [ana.pk]


@pytest.mark.parametrize("decision, expected", [("accept", 1), ("dismiss", 0)])
def test_an_accepted_suggestion_refreshes_once_a_dismissed_one_not_at_all(
    practitioner, practitioner_client, refreshes, decision, expected
):
    patient = PatientFactory(practitioner=practitioner)
    start_course(patient, practitioner, on=TODAY - timedelta(days=21), pain_average=8)
    checkin(patient, TODAY - timedelta(days=14), pain_average=5)
    checkin(patient, TODAY - timedelta(days=7), pain_average=5)
    suggestion = refresh_suggestion(patient)
    refreshes.clear()
    kwargs = {"patient_uuid": patient.uuid, "suggestion_id": suggestion.pk}
    practitioner_client.post(reverse(f"patients:{decision}_suggestion", kwargs=kwargs))
    assert refreshes == [patient.pk] * expected


def admin_correction():
    data = {
        "started_at_0": YESTERDAY.isoformat(), "started_at_1": "10:30", "style": "tcm",
        "pain_before": "1", "needle_diameter_mm": "0.25", "needle_length_mm": "40",
        "retention_minutes": "20", "subjective": "Changed in the admin", "_save": "Save",
    }  # fmt: skip
    for prefix in ["points", "adverse_events", "amendments"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


@pytest.fixture
def superuser_client(client, db):
    client.force_login(get_user_model().objects.create_superuser("boss", password="x"))
    return client


def test_a_draft_corrected_in_the_admin_refreshes_once(ana, superuser_client, refreshes):
    session = TreatmentSessionFactory(patient=ana, points=())
    refreshes.clear()
    url = reverse("admin:treatment_sessions_treatmentsession_change", args=[session.pk])
    assert superuser_client.post(url, admin_correction()).status_code == 302
    assert refreshes == [ana.pk]
    assert summary_of(ana).sessions == 1


def test_a_draft_deleted_in_the_admin_refreshes_once(ana, superuser_client, refreshes):
    session = TreatmentSessionFactory(patient=ana, points=(), pain_before=None, pain_after=None)
    refreshes.clear()
    url = reverse("admin:treatment_sessions_treatmentsession_delete", args=[session.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 302
    assert refreshes == [[ana.pk]]


def test_drafts_of_two_patients_deleted_at_once_refresh_both_once(
    ana, patient, superuser_client, refreshes
):
    notes = [
        TreatmentSessionFactory(patient=someone, points=(), pain_before=None, pain_after=None)
        for someone in (ana, patient)
    ]
    refreshes.clear()
    data = {"action": "delete_selected", "_selected_action": [n.pk for n in notes], "post": "yes"}
    url = reverse("admin:treatment_sessions_treatmentsession_changelist")
    assert superuser_client.post(url, data).status_code == 302
    assert refreshes == [sorted([ana.pk, patient.pk])]
    assert (summary_of(ana).sessions, summary_of(patient).sessions) == (0, 0)


def test_each_page_that_writes_a_patient_refreshes_once(
    practitioner_client, practitioner, refreshes
):
    pages = reverse("patients:create"), reverse("patients:invite")
    practitioner_client.post(pages[0], valid_data(practitioner=practitioner.pk))
    added = Patient.objects.get(family_name="Novak")
    invite = {"given_name": "Ines", "family_name": "Lopes", "email": "ines@example.org"}
    practitioner_client.post(pages[1], invite)
    invited = Patient.objects.get(family_name="Lopes")
    assert refreshes == [added.pk, invited.pk]
    assert summary_of(invited).status == Patient.Status.INVITED
    for action in ["edit", "archive", "restore"]:
        refreshes.clear()
        url = reverse(f"patients:{action}", kwargs={"patient_uuid": added.uuid})
        data = valid_data(status="discharged") if action == "edit" else {}
        assert practitioner_client.post(url, data).status_code == 302, action
        assert refreshes == [added.pk], action
    assert summary_of(added).status == Patient.Status.DISCHARGED  # restored to it


def test_a_patient_changed_in_the_admin_refreshes_once(patient, superuser_client, refreshes):
    url = reverse("admin:patients_patient_change", args=[patient.pk])
    form = superuser_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    refreshes.clear()
    response = superuser_client.post(url, data | {"status": "discharged", "_save": "Save"})
    assert response.status_code == 302
    assert refreshes == [patient.pk]
    assert summary_of(patient).status == Patient.Status.DISCHARGED


def test_the_invite_command_refreshes_once(db, refreshes):
    from django.core.management import call_command

    call_command("invite_patient", "ines@example.org", name="Ines Lopes", stdout=StringIO())
    invited = Patient.objects.get(family_name="Lopes")
    assert refreshes == [invited.pk]
    assert summary_of(invited).status == Patient.Status.INVITED
