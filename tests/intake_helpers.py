"""The intake as a patient fills it in through their link: valid answers for every step,
the link pages' addresses, and a walk through the steps with the test client; and a
check-in sent through a link. (A whole intake sent: tests.factories.SubmittedIntakeFactory.)

    answer_steps(client, token)                          # every step, valid answers
    answer_steps(client, token, ["about", "pain"])       # the first two
"""

import copy

from django.urls import reverse

from patients.models import PatientLink, PsfsActivity
from patients.models.intake import RED_FLAGS, STEP_KEYS

# What the patient types, step by step, as the browser posts it.
VALID_ANSWERS = {
    "about": {
        "given_name": "Beatriz",
        "family_name": "Costa",
        "date_of_birth": "1984-03-12",
        "email": "beatriz.costa@example.org",
        "phone": "07700 900456",
        "emergency_contact_name": "Rui Costa",
        "emergency_contact_phone": "07700 900789",
    },
    "pain": {
        "complaint": "Low back pain that spreads into the left buttock.",
        "regions": ["lower_back", "buttock_l"],
        "since": "1y_5y",
        "worse": "Sitting for long",
        "better": "Walking",
        "feels_like": ["aching", "stiff"],
    },
    "measures": {
        "pain_now": "6",
        "pain_average": "7",
        "pain_worst": "9",
        "enjoyment": "6",
        "activity": "7",
        "confidence": "4",
        "active_minutes": "90",
        "psfs_1": "Walking the dog",
        "psfs_1_rating": "4",
        "psfs_2": "Gardening",
        "psfs_2_rating": "3",
        "psfs_3": "Sitting through a film",
        "psfs_3_rating": "6",
        "psfs_4": "",
        "psfs_4_rating": "",
        "psfs_5": "",
        "psfs_5_rating": "",
    },
    "health": {
        "conditions": "Mild asthma",
        "medicines": "Ibuprofen when needed",
        "surgeries": "",
        "previous_acupuncture": "no",
        "pregnant": "no",
        "due_date": "",
        "anticoagulants": "no",
        "bleeding_disorder": "no",
        "implanted_device": "no",
        "epilepsy": "no",
        "needle_fear": "no",
        "metal_allergy": "no",
        "diabetes_or_neuropathy": "no",
        "immunosuppressed": "no",
        "skin_infection": "no",
        "lymphoedema_limb": "",
    },
    "red_flags": {key: "no" for key, _, _ in RED_FLAGS},
    "goals": {"goals": "Walk the dog for half an hour without stopping."},
    "consent": {"agree": "on", "signature": "Beatriz Costa"},
}
# The baseline those answers give: PEG = mean(7, 6, 7); PSFS = mean(4, 3, 6).
BASELINE_PEG = "6.67"
BASELINE_PSFS = "4.33"

PATIENT_ACTOR = "patient (link)"


def answers_for(step, **changes):
    """The valid answers of `step`, with `changes` (a value of None leaves the field out)."""
    data = copy.deepcopy(VALID_ANSWERS[step])
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def start_url(token):
    return reverse("intake:start", kwargs={"token": token})


def step_url(token, step):
    return reverse("intake:step", kwargs={"token": token, "step": step})


def review_url(token):
    return reverse("intake:review", kwargs={"token": token})


def submit_url(token):
    return reverse("intake:submit", kwargs={"token": token})


def checkin_url(token):
    return reverse("checkin", kwargs={"token": token})


def checkin_thanks_url(token):
    return reverse("checkin_thanks", kwargs={"token": token})


def answer_steps(client, token, steps=STEP_KEYS, changes=None):
    """Post valid answers to `steps` in order; `changes` maps a step to its changed fields."""
    changes = changes or {}
    for step in steps:
        response = client.post(step_url(token, step), answers_for(step, **changes.get(step, {})))
        assert response.status_code == 302, f"step {step} refused: {response.status_code}"


def check_in(client, patient, pain_average):
    """The patient sends a check-in through a new link: average pain `pain_average`, the
    other scores fixed, 5 for each of their PSFS activities."""
    _, token = PatientLink.issue(patient, PatientLink.Purpose.CHECKIN)
    data = {
        "pain_now": "4", "pain_average": str(pain_average), "pain_worst": "7", "enjoyment": "4",
        "activity": "5", "confidence": "6", "active_minutes": "120",
    }  # fmt: skip
    for activity in PsfsActivity.objects.filter(patient=patient):
        data[f"psfs_{activity.pk}"] = "5"
    assert client.post(checkin_url(token), data).status_code == 302


def accept_url(intake):
    """The practitioner's button that accepts a submitted intake."""
    kwargs = {"patient_uuid": intake.patient.uuid, "intake_id": intake.pk}
    return reverse("patients:accept_intake", kwargs=kwargs)


def intake_link(patient):
    """A new intake link for `patient`: (link, token)."""
    return PatientLink.issue(patient, PatientLink.Purpose.INTAKE)
