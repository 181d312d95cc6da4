"""The audit trail: append-only, written by the admin and by a middleware backstop."""

import uuid

import pytest
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path

from audit import trail
from audit.models import AuditEvent
from patients.models import Patient


def forgetful_view(request, patient_uuid):
    """A patient page whose author forgot to call trail.record."""
    get_object_or_404(Patient, uuid=patient_uuid)
    return HttpResponse("ok")


urlpatterns = [
    path("forgetful/<uuid:patient_uuid>/", forgetful_view),
    path("", include("clinic.urls")),
]


@pytest.fixture
def event(patient):
    return AuditEvent.objects.get(action=AuditEvent.Action.CREATE)  # the patient's creation


def admin_change_url(patient):
    return f"/admin/patients/patient/{patient.pk}/change/"


def test_an_existing_event_cannot_be_saved_again(event):
    event.detail = "tampered"
    with pytest.raises(TypeError):
        event.save()


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(TypeError):
        event.delete()


def test_the_queryset_refuses_update_and_delete(event):
    with pytest.raises(TypeError):
        AuditEvent.objects.update(detail="tampered")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_a_raw_update(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE clinic_auditevent SET detail = 'tampered' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.detail != "tampered"


def test_postgresql_also_refuses_a_raw_delete(event):
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL refuses DELETE (the SQLite test runner needs it)")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM clinic_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_editing_a_patient_in_the_admin_records_a_change_by_that_user(
    admin_client_, clinic_admin, patient
):
    form = admin_client_.get(admin_change_url(patient)).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data["phone"] = "07700 900555"
    response = admin_client_.post(admin_change_url(patient), data)
    assert response.status_code == 302
    change = AuditEvent.objects.get(action=AuditEvent.Action.CHANGE)
    assert (change.user, change.actor, change.patient_uuid) == (clinic_admin, "alex", patient.uuid)


@pytest.mark.parametrize(
    ("admin_page", "detail"), [("change/", "admin"), ("history/", "admin: history")]
)
def test_viewing_a_patient_in_the_admin_records_a_view(
    admin_client_, clinic_admin, patient, admin_page, detail
):
    url = f"/admin/patients/patient/{patient.pk}/{admin_page}"
    assert admin_client_.get(url).status_code == 200
    view = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert (view.user, view.patient_uuid, view.detail) == (clinic_admin, patient.uuid, detail)


@pytest.mark.urls(__name__)
def test_a_patient_page_that_forgets_to_record_still_leaves_a_view(
    practitioner_client, practitioner, patient
):
    assert practitioner_client.get(f"/forgetful/{patient.uuid}/").content == b"ok"
    view = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert (view.user, view.patient_uuid) == (practitioner, patient.uuid)


@pytest.mark.urls(__name__)
def test_a_patient_page_answering_404_leaves_no_view(practitioner_client, patient):
    assert practitioner_client.get(f"/forgetful/{uuid.uuid4()}/").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def view_ip(client, patient, **headers):
    client.get(patient.get_absolute_url(), REMOTE_ADDR="10.0.0.2", **headers)
    return AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).first().ip_address


def test_x_forwarded_for_is_ignored_without_a_proxy_count(practitioner_client, patient):
    assert view_ip(practitioner_client, patient, HTTP_X_FORWARDED_FOR="6.6.6.6") == "10.0.0.2"


@pytest.mark.parametrize(("count", "expected"), [(1, "192.0.2.9"), (2, "203.0.113.7")])
def test_behind_proxies_the_address_they_appended_is_recorded(
    settings, practitioner_client, patient, count, expected
):
    settings.PROXY_COUNT = count
    forwarded = "6.6.6.6, 203.0.113.7, 192.0.2.9"
    assert view_ip(practitioner_client, patient, HTTP_X_FORWARDED_FOR=forwarded) == expected


def test_a_forwarded_list_shorter_than_the_proxy_count_falls_back(
    settings, practitioner_client, patient
):
    settings.PROXY_COUNT = 2
    assert view_ip(practitioner_client, patient, HTTP_X_FORWARDED_FOR="6.6.6.6") == "10.0.0.2"


def test_events_carry_no_patient_name(client, practitioner, clinic_admin, patient):
    client.force_login(practitioner)
    client.get(patient.get_absolute_url())
    client.get("/patients/?q=Silva")
    client.force_login(clinic_admin)
    client.get(admin_change_url(patient))
    client.get("/admin/patients/patient/?q=Silva")
    patient.phone = "07700 900777"
    patient.save()
    trail.record(AuditEvent.Action.EXPORT, patient)
    events = AuditEvent.objects.all()
    assert len(events) >= 6
    fields = [str(getattr(e, f.attname)) for e in events for f in AuditEvent._meta.fields]
    assert not [value for value in fields if "Ana" in value or "Silva" in value]
