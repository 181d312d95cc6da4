"""Each write refreshes the patient's summary once, through PatientSummary.objects.refresh,
its one way in: an intake submitted or accepted, a check-in, a note (new, edited, corrected
or deleted in the admin), a phase change, a suggestion decided, a patient's pages, the admin
and the invite command."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from patients.models import Patient, PatientSummary
from patients.models.summary import PatientSummaryManager
from patients.progress import refresh_suggestion
from tests.factories import (
    CheckInFactory,
    InvitedPatientFactory,
    PatientFactory,
    StartedCourseFactory,
    SubmittedIntakeFactory,
)
from tests.intake_helpers import check_in
from tests.patient_helpers import valid_data
from tests.session_factories import TreatmentSessionFactory
from tests.session_helpers import log_session, session_data

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)


def summary_of(patient):
    return PatientSummary.objects.get(patient=patient)


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
    patient = InvitedPatientFactory()
    refreshes.clear()
    SubmittedIntakeFactory(patient=patient)  # every step, then the submit
    assert refreshes == [patient.pk]
    assert summary_of(patient).status == Patient.Status.INTAKE_SUBMITTED


def test_accepting_an_intake_refreshes_once_not_twice(practitioner_client, refreshes):
    patient = InvitedPatientFactory()
    intake = SubmittedIntakeFactory(patient=patient)
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
    StartedCourseFactory(
        patient=patient,
        accepted_by=practitioner,
        on=TODAY - timedelta(days=21),
        baseline__pain_average=8,
    )
    CheckInFactory(patient=patient, taken_on=TODAY - timedelta(days=14), pain_average=5)
    CheckInFactory(patient=patient, taken_on=TODAY - timedelta(days=7), pain_average=5)
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
    for prefix in ["points", "adverse_events", "acknowledgements", "amendments"]:
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
