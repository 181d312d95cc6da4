"""Two people editing one patient: the second save is answered 409 with its text kept
and what was saved meanwhile shown under the field (issue 10, Build 3)."""

from django.urls import reverse

from patients.forms import PatientForm, SafetyFlagsForm
from patients.models import Patient
from tests.factories import PatientFactory
from tests.patient_helpers import valid_data


def edit_url(patient, page="edit"):
    return reverse(f"patients:{page}", kwargs={"patient_uuid": patient.uuid})


def opened_version(client, patient, page="edit"):
    """The version the page carries when it is opened now."""
    return client.get(edit_url(patient, page)).context["form"]["version"].value()


def test_the_edit_page_carries_a_version(practitioner_client, patient):
    page = practitioner_client.get(edit_url(patient)).content.decode()
    version = PatientForm(instance=patient)["version"].value()
    assert f'name="version" value="{version}"' in page


def test_a_stale_edit_is_a_409_that_keeps_the_typed_text(practitioner_client, patient):
    opened = opened_version(practitioner_client, patient)
    first = valid_data(phone="+44 7700 900111", version=opened)
    assert practitioner_client.post(edit_url(patient), first).status_code == 302
    second = valid_data(phone="+44 7700 900222", version=opened)
    response = practitioner_client.post(edit_url(patient), second)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record after you opened this page" in page
    assert "Saved meanwhile as: “+44 7700 900111”" in page
    assert 'value="+44 7700 900222"' in page
    assert Patient.objects.get(pk=patient.pk).phone == "+44 7700 900111"
    # The answered page carries the new version: saving again keeps the second version.
    again = valid_data(phone="+44 7700 900222", version=response.context["form"].data["version"])
    assert practitioner_client.post(edit_url(patient), again).status_code == 302
    assert Patient.objects.get(pk=patient.pk).phone == "+44 7700 900222"


def test_a_change_on_another_page_is_no_conflict(practitioner_client, patient):
    opened = opened_version(practitioner_client, patient)
    Patient.objects.filter(pk=patient.pk).update(epilepsy=True)  # the safety page's field
    response = practitioner_client.post(edit_url(patient), valid_data(version=opened))
    assert response.status_code == 302


def test_a_stale_safety_page_is_a_409(practitioner_client, patient):
    opened = opened_version(practitioner_client, patient, "safety")
    Patient.objects.filter(pk=patient.pk).update(anticoagulants=True)
    data = {**SafetyFlagsForm(instance=patient).initial, "version": opened, "epilepsy": "on"}
    data = {key: value for key, value in data.items() if value not in (None, False)}
    response = practitioner_client.post(edit_url(patient, "safety"), data)
    assert response.status_code == 409
    assert "Saved meanwhile as: ticked" in response.content.decode()
    assert not Patient.objects.get(pk=patient.pk).epilepsy


def test_a_rename_that_meets_a_duplicate_saved_meanwhile_gets_the_forms_message(
    practitioner_client, patient, monkeypatch
):
    """As if the other patient was saved after this form checked: the database refuses."""
    PatientFactory(given_name="Mira", family_name="Novak", date_of_birth="1984-03-09")
    monkeypatch.setattr(PatientForm, "validate_unique", lambda form: None)
    data = valid_data(version=opened_version(practitioner_client, patient))
    response = practitioner_client.post(edit_url(patient), data)
    assert response.status_code == 400
    assert "already registered" in response.content.decode()
    assert Patient.objects.get(pk=patient.pk).family_name != "Novak"


def test_the_stale_safety_page_says_why(practitioner_client, patient):
    opened = opened_version(practitioner_client, patient, "safety")
    Patient.objects.filter(pk=patient.pk).update(epilepsy=True)
    data = {"version": opened, "metal_allergy": "on"}
    page = practitioner_client.post(edit_url(patient, "safety"), data).content.decode()
    assert "Someone else saved this record after you opened this page" in page
