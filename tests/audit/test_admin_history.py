"""The admin's History link works for every model, and earlier versions of a patient are
shown but never restored over the app's own rules."""

import pytest
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from audit.admin import AuditedAdmin
from patients.actions import accept_intake
from patients.models import PhaseSuggestion
from tests.factories import (
    CheckInFactory,
    InvitedPatientFactory,
    SubmittedIntakeFactory,
    UserFactory,
)
from tests.progress_helpers import days_ago
from tests.session_factories import TreatmentSessionFactory


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def records(practitioner):
    """A row of every model the admin shows: an invited patient's accepted intake (its
    readings, PSFS activities and first phase), a signed note, a check-in, a suggestion and
    the summary."""
    bea = InvitedPatientFactory()
    accept_intake(SubmittedIntakeFactory(patient=bea), by=practitioner)
    TreatmentSessionFactory(patient=bea, practitioner=practitioner, signed=True)
    CheckInFactory(patient=bea, taken_on=days_ago(1), pain_average=4)
    PhaseSuggestion.objects.create(
        patient=bea, kind="phase_2", to_phase=2, reason="test", evidence_through=days_ago(1)
    )
    return bea


def history_urls():
    for model in admin.site._registry:
        opts = model._meta
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            yield model, None
        else:
            yield model, reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


@pytest.mark.parametrize("who", ["clinic_admin", "superuser"])
def test_every_admin_history_link_answers_without_a_server_error(client, request, records, who):
    client.force_login(request.getfixturevalue(who))
    client.raise_request_exception = False  # answer 500 and go on to the next model
    answered = {}
    for model, url in history_urls():
        if url is not None:
            answered[model._meta.label_lower] = client.get(url).status_code
    assert {label for label, status in answered.items() if status >= 500} == set()
    assert set(answered.values()) <= {200, 403, 404}
    # the seven that failed, each with a row here
    for label in [
        "patients.intake",
        "patients.checkin",
        "patients.outcomereading",
        "patients.phasechange",
        "patients.phasesuggestion",
        "patients.patientsummary",
        "patients.psfsactivity",
    ]:
        assert answered[label] == 200, label


def test_a_model_without_history_cannot_take_the_history_admin():
    with pytest.raises(ImproperlyConfigured, match="keeps no history"):
        AuditedAdmin(PhaseSuggestion, admin.site)


# A patient's earlier versions: shown to clinic admins, not restored by them (a superuser
# may: tests/staff/test_roles.py)


@pytest.fixture
def earlier_version(patient):
    version = patient.history.earliest()
    patient.phone = "07700 900777"
    patient.pregnant = True
    patient.save()
    return version


def version_url(patient, version):
    return reverse("admin:patients_patient_simple_history", args=[patient.pk, version.history_id])


def test_a_patients_history_offers_a_clinic_admin_no_revert(
    admin_client_, patient, earlier_version
):
    client = admin_client_
    history = client.get(f"/admin/patients/patient/{patient.pk}/history/")
    assert history.status_code == 200
    assert "revert to a previous version" not in history.content.decode()
    version = client.get(version_url(patient, earlier_version))
    assert version.status_code == 200
    assert 'value="Revert"' not in version.content.decode()


def test_a_clinic_admin_posting_an_earlier_version_of_a_patient_is_refused(
    admin_client_, patient, earlier_version
):
    client = admin_client_
    form = client.get(version_url(patient, earlier_version)).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["_save"] = "Revert"
    response = client.post(version_url(patient, earlier_version), data)
    assert response.status_code == 403
    patient.refresh_from_db()
    assert (patient.phone, patient.pregnant) == ("07700 900777", True)
    assert patient.history.count() == 2


def test_a_superuser_is_offered_the_revert(client, superuser, patient, earlier_version):
    client.force_login(superuser)
    assert 'value="Revert"' in client.get(version_url(patient, earlier_version)).content.decode()
