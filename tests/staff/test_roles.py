"""The two staff roles, and what each may do in the Django admin."""

import pytest
from django.contrib.auth.models import Group

from audit.models import AuditEvent
from staff.roles import CLINIC_ADMINS, PRACTITIONERS, ROLE_PERMISSIONS
from tests.factories import UserFactory

AUDIT_ADMIN = "/admin/audit/auditevent/"


def patient_admin(patient, page="change/"):
    return f"/admin/patients/patient/{patient.pk}/{page}"


@pytest.mark.parametrize("group_name", [PRACTITIONERS, CLINIC_ADMINS])
def test_each_role_exists_after_migrate_with_exactly_its_permissions(db, group_name):
    group = Group.objects.get(name=group_name)
    held = set(group.permissions.values_list("content_type__app_label", "codename"))
    wanted = {
        (label.split(".")[0], f"{action}_{label.split('.')[1]}")
        for label, actions in ROLE_PERMISSIONS[group_name].items()
        for action in actions
    }
    assert held == wanted


def test_practitioners_may_neither_delete_patients_nor_read_the_audit_trail(practitioner):
    assert practitioner.has_perm("patients.change_patient")
    assert not practitioner.has_perm("patients.delete_patient")
    assert not practitioner.has_perm("audit.view_auditevent")


def test_a_practitioner_cannot_open_the_admin(practitioner_client):
    response = practitioner_client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_a_clinic_admin_can_open_the_admin(admin_client_):
    assert admin_client_.get("/admin/").status_code == 200


def test_a_clinic_admin_can_browse_and_search_the_audit_trail(admin_client_, patient):
    response = admin_client_.get(AUDIT_ADMIN)
    assert response.status_code == 200
    assert f"{AUDIT_ADMIN}add/" not in response.content.decode()
    for query in ["alex", str(patient.uuid), "10.0"]:
        assert admin_client_.get(AUDIT_ADMIN, {"q": query}).status_code == 200


def test_the_audit_trail_cannot_be_added_to_in_the_admin(admin_client_):
    assert admin_client_.get(f"{AUDIT_ADMIN}add/").status_code == 403


def test_an_audit_event_is_read_only_in_the_admin(admin_client_, patient):
    event = AuditEvent.objects.get()
    page = admin_client_.get(f"{AUDIT_ADMIN}{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = admin_client_.post(f"{AUDIT_ADMIN}{event.pk}/change/", {"actor": "tampered"})
    assert response.status_code == 403
    deletion = admin_client_.post(f"{AUDIT_ADMIN}{event.pk}/delete/", {"post": "yes"})
    assert deletion.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).actor == event.actor


def test_a_clinic_admin_can_view_a_patient_and_its_history(admin_client_, patient):
    patient.status = "discharged"
    patient.save()
    assert admin_client_.get(patient_admin(patient)).status_code == 200
    history = admin_client_.get(patient_admin(patient, "history/"))
    assert history.status_code == 200
    for version in patient.history.all():
        assert patient_admin(patient, f"history/{version.history_id}/") in history.content.decode()
    assert patient.history.count() == 2


def test_a_superuser_can_revert_a_patient_to_an_earlier_version(client, patient):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    original = patient.history.earliest()
    patient.phone = "07700 900999"
    patient.save()
    url = patient_admin(patient, f"history/{original.history_id}/")
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    assert client.post(url, data).status_code == 302
    patient.refresh_from_db()
    assert patient.phone == original.phone == "07700 900123"
    assert patient.history.count() == 3


def posted(form):
    """A form's current values, as the browser would post them back unchanged."""
    data = {}
    for name, field in form.fields.items():
        key, value = form[name].html_name, form[name].value()
        if hasattr(field.widget, "widgets"):  # a date and a time
            data.update(
                {f"{key}_{i}": part or "" for i, part in enumerate(field.widget.decompress(value))}
            )
        elif value is not False and value is not None:
            data[key] = value
    return data


def user_admin_data(response):
    data = posted(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        for form in [inline.formset.management_form, *inline.formset.forms]:
            data.update(posted(form))
    return data


def test_a_clinic_admin_can_edit_a_practitioners_details(admin_client_, practitioner):
    url = f"/admin/auth/user/{practitioner.pk}/change/"
    data = {**user_admin_data(admin_client_.get(url)), "first_name": "Lina"}
    assert admin_client_.post(url, data).status_code == 302
    practitioner.refresh_from_db()
    assert practitioner.first_name == "Lina"


def test_a_clinic_admin_cannot_make_themselves_a_superuser(admin_client_, clinic_admin):
    url = f"/admin/auth/user/{clinic_admin.pk}/change/"
    data = {**user_admin_data(admin_client_.get(url)), "is_superuser": "on"}
    admin_client_.post(url, data)
    clinic_admin.refresh_from_db()
    assert not clinic_admin.is_superuser


def test_a_clinic_admin_cannot_change_a_superusers_account(admin_client_, db):
    from django.contrib.auth import get_user_model

    boss = get_user_model().objects.create_superuser("boss", "boss@example.org", "x" * 20)
    assert admin_client_.get(f"/admin/auth/user/{boss.pk}/password/").status_code == 403
    response = admin_client_.post(f"/admin/auth/user/{boss.pk}/change/", {"username": "b"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "model", ["outcomereading", "phasechange", "phasesuggestion", "psfsactivity", "patientsummary"]
)
def test_a_clinic_admin_browses_readings_and_phases_read_only(admin_client_, model):
    url = f"/admin/patients/{model}/"
    assert admin_client_.get(url).status_code == 200
    assert admin_client_.get(url + "add/").status_code == 403
