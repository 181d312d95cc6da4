"""Headers: pages with patient data are never cached; browser features are turned off."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from patients.models import PatientLink
from tests.intake_helpers import checkin_url, start_url
from tests.session_factories import TreatmentSessionFactory


def assert_never_cached(response):
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives, response["Cache-Control"]


@pytest.fixture
def session(patient, practitioner):
    return TreatmentSessionFactory(patient=patient, practitioner=practitioner)


@pytest.mark.parametrize(
    "url",
    [
        lambda patient, session: patient.get_absolute_url(),
        lambda patient, session: reverse(
            "patients:progress", kwargs={"patient_uuid": patient.uuid}
        ),
        lambda patient, session: reverse("patients:report", kwargs={"patient_uuid": patient.uuid}),
        lambda patient, session: reverse(
            "sessions:detail", kwargs={"patient_uuid": patient.uuid, "session_uuid": session.uuid}
        ),
        lambda patient, session: reverse(
            "sessions:edit", kwargs={"patient_uuid": patient.uuid, "session_uuid": session.uuid}
        ),
        lambda patient, session: reverse("patients:list"),
        lambda patient, session: reverse("home"),
    ],
    ids=["patient", "progress", "report", "session", "note-edit", "patient-list", "dashboard"],
)
def test_staff_pages_with_patient_data_are_never_cached(practitioner_client, patient, session, url):
    response = practitioner_client.get(url(patient, session))
    assert response.status_code == 200
    assert_never_cached(response)


@pytest.mark.parametrize("what", ["readings", "sessions"])
def test_the_csv_export_is_never_cached(practitioner_client, patient, what):
    response = practitioner_client.get(reverse("patients:export"), {"what": what})
    assert response.status_code == 200
    assert_never_cached(response)


def test_the_admin_is_never_cached(admin_client_, patient):
    response = admin_client_.get(f"/admin/patients/patient/{patient.pk}/change/")
    assert response.status_code == 200
    assert_never_cached(response)


def test_the_patients_intake_link_page_is_never_cached(client, patient):
    _, token = PatientLink.issue(patient, PatientLink.Purpose.INTAKE)
    response = client.get(start_url(token), follow=True)
    assert response.status_code == 200
    assert_never_cached(response)


def test_the_patients_checkin_link_page_is_never_cached(client, patient):
    _, token = PatientLink.issue(patient, PatientLink.Purpose.CHECKIN)
    response = client.get(checkin_url(token))
    assert response.status_code == 200
    assert_never_cached(response)


def test_a_dead_link_page_is_never_cached(client, db):
    assert_never_cached(client.get(checkin_url("no-such-token")))


def test_the_login_page_turns_off_camera_microphone_geolocation_payment_and_usb(client, db):
    response = client.get(reverse("login"))
    policy = dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "serial"]:
        assert policy[feature] == "()"


def test_a_staff_page_carries_the_permissions_policy_too(practitioner_client, patient):
    response = practitioner_client.get(patient.get_absolute_url())
    assert "camera=()" in response["Permissions-Policy"]


def test_static_files_keep_their_own_cache_headers(client, db):
    assert finders.find("clinic/clinic.css")
    response = client.get("/static/clinic/clinic.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
