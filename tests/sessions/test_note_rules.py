"""A treatment note's rules, asked of the note itself (sessions.models.signing): who may
edit, sign and amend it, what stops it being saved or signed (every reason in one
exception), a new note begun from the last, and the picker's messages from the same
constants."""

import json
import re

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse

from patients.models import Patient
from sessions import safety
from sessions.models import (
    UNREVIEWED_RED_FLAGS,
    AcupuncturePoint,
    SessionConflict,
    SignedSessionError,
    SigningRefused,
    TreatmentSession,
)
from sessions.models.signing import ARCHIVED_PATIENT, NOT_AMENDED, NOT_THE_AUTHOR, SIGNED_MESSAGE
from tests.factories import InvitedPatientFactory, SubmittedIntakeFactory
from tests.session_factories import TreatmentSessionFactory

pytestmark = pytest.mark.django_db

LI4_CAUTION = "LI4 Hegu: traditionally avoided in pregnancy, and the patient is pregnant."


@pytest.fixture
def draft(practitioner, patient):
    return TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["ST36"])


def flag(patient, **flags):
    Patient.objects.filter(pk=patient.pk).update(**flags)


# Who may edit and sign


def test_the_author_may_edit_their_draft(draft, practitioner):
    assert draft.edit_refusal(practitioner) is None
    assert draft.may_edit(practitioner)


def test_another_practitioner_is_refused_as_not_the_author(draft, second_practitioner):
    refusal = draft.edit_refusal(second_practitioner)
    assert isinstance(refusal, SigningRefused)
    assert refusal.messages == [NOT_THE_AUTHOR]
    assert not draft.may_edit(second_practitioner)


def test_a_signed_note_is_refused_to_everyone_as_signed(practitioner, patient):
    signed = TreatmentSessionFactory(patient=patient, practitioner=practitioner, signed=True)
    refusal = signed.edit_refusal(practitioner)
    assert isinstance(refusal, SignedSessionError)
    assert refusal.messages == [SIGNED_MESSAGE]


def test_only_a_signed_note_is_amended(draft, practitioner, patient):
    assert draft.amend_refusal().messages == [NOT_AMENDED]
    assert isinstance(draft.amend_refusal(), SessionConflict)
    signed = TreatmentSessionFactory(patient=patient, practitioner=practitioner, signed=True)
    assert signed.amend_refusal() is None


# Signing: one exception with every reason


def test_sign_refuses_with_every_reason_at_once(practitioner, second_practitioner):
    patient = InvitedPatientFactory()
    SubmittedIntakeFactory(patient=patient, red_flags={"fever": "yes"})  # not reviewed
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["LI4"])
    flag(patient, pregnant=True)

    with pytest.raises(SigningRefused) as refused:
        TreatmentSession.objects.get(pk=session.pk).sign(by=second_practitioner)

    assert refused.value.problems == [
        ("", NOT_THE_AUTHOR),
        ("", UNREVIEWED_RED_FLAGS),
        ("acknowledge", LI4_CAUTION),
    ]
    assert refused.value.messages == [NOT_THE_AUTHOR, UNREVIEWED_RED_FLAGS, LI4_CAUTION]
    assert TreatmentSession.objects.get(pk=session.pk).status == "draft"


def test_sign_by_the_author_with_nothing_against_it_signs(draft, practitioner):
    draft.sign(by=practitioner)
    stored = TreatmentSession.objects.get(pk=draft.pk)
    assert (stored.status, stored.signed_by) == ("signed", practitioner)


def test_sign_of_a_note_signed_meanwhile_is_refused_as_already_signed(draft, practitioner):
    TreatmentSession.objects.get(pk=draft.pk).sign(by=practitioner)
    with pytest.raises(SignedSessionError, match="already signed"):
        draft.sign(by=practitioner)


def test_check_may_save_ignores_what_only_stops_signing(practitioner):
    patient = InvitedPatientFactory()
    SubmittedIntakeFactory(patient=patient, red_flags={"fever": "yes"})
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner)
    session.check_may_save()  # unreviewed red flags stop the signature, not the draft
    with pytest.raises(SigningRefused) as refused:
        session.check_may_sign(practitioner)
    assert refused.value.messages == [UNREVIEWED_RED_FLAGS]


def test_the_reasons_go_under_the_fields_a_form_has(draft, second_practitioner, patient):
    refused = SigningRefused([("", NOT_THE_AUTHOR), ("electrical", "No."), ("absent", "Gone.")])
    grouped = refused.by_field({"electrical": None})
    assert grouped.error_dict.keys() == {NON_FIELD_ERRORS, "electrical"}
    assert [e.message for e in grouped.error_dict[NON_FIELD_ERRORS]] == [NOT_THE_AUTHOR, "Gone."]
    assert [e.message for e in grouped.error_dict["electrical"]] == ["No."]


def test_an_admin_correction_of_a_note_signed_meanwhile_is_refused(draft, practitioner):
    copy = TreatmentSession.objects.get(pk=draft.pk)
    TreatmentSession.objects.get(pk=draft.pk).sign(by=practitioner)
    with pytest.raises(SigningRefused) as refused:
        copy.check_may_correct()
    assert refused.value.messages == [SIGNED_MESSAGE]


# A new note


def test_a_new_note_repeats_the_last_treatment(practitioner, patient):
    TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, retention_minutes=35, needle_length_mm=25
    )
    session, last = TreatmentSession.start(patient, practitioner=practitioner)
    assert session.pk is None and last is not None
    assert (session.retention_minutes, session.needle_length_mm) == (35, 25)
    assert (session.patient, session.practitioner) == (patient, practitioner)


def test_a_first_note_starts_from_the_practitioners_defaults(practitioner, patient):
    profile = practitioner.practitioner_profile
    profile.default_retention_minutes = 30
    profile.save()
    session, last = TreatmentSession.start(patient, practitioner=practitioner)
    assert last is None
    assert session.retention_minutes == 30


def test_no_note_is_started_for_an_archived_patient(practitioner, patient):
    patient.archive()
    with pytest.raises(SessionConflict) as refused:
        TreatmentSession.start(patient, practitioner=practitioner)
    assert refused.value.messages == [ARCHIVED_PATIENT]


# The picker's messages come from the server's constants


def test_the_form_page_gives_the_picker_its_messages_and_flag_labels(practitioner_client, patient):
    response = practitioner_client.get(
        reverse("sessions:new", kwargs={"patient_uuid": patient.uuid})
    )
    script = re.search(
        r'<script id="picker-safety" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert json.loads(script.group(1)) == {
        "flags": {
            "pregnancy_caution": "pregnancy caution",
            "lung_field": "over the lung field",
            "vessel_or_eye": "near a large vessel or the eye",
            "do_not_needle": "not needled (moxibustion only)",
        },
        "messages": safety.PICKER_MESSAGES,
        "keys": safety.KEYS,
        "conditions": [],  # Ana has no condition flags
    }


def test_the_picker_and_the_review_share_the_epilepsy_reminder():
    assert safety.PICKER_MESSAGES["epilepsy"] == safety.EPILEPSY


def test_the_flag_labels_are_those_a_point_shows():
    point = AcupuncturePoint.objects.get(code="GB21")  # pregnancy caution, lung field
    labels = AcupuncturePoint.safety_flag_labels()
    assert point.safety_flags == [labels["pregnancy_caution"], labels["lung_field"]]
