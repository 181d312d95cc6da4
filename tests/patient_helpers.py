"""The patient form as the browser posts it, and the page that edits a patient (the new
patient page is `patients:create`).

    practitioner_client.post(edit_url(ana), valid_data(family_name="Silva-Rey"))
"""

from django.urls import reverse


def valid_data(**overrides):
    """A valid POST for the new-patient or edit page; `overrides` change its fields."""
    data = {
        "given_name": "Mira",
        "family_name": "Novak",
        "date_of_birth": "1984-03-09",
        "sex": "female",
        "email": "mira.novak@example.org",
        "phone": "+44 7700 900456",
        "emergency_contact_name": "Jan Novak",
        "emergency_contact_phone": "07700 900457",
        "practitioner": "",
        "status": "active",
    }
    return data | overrides


def edit_url(patient):
    return reverse("patients:edit", kwargs={"patient_uuid": patient.uuid})
