"""Safety checks of a treatment note (CLINICAL.md section 4): the rules of sessions/safety.py,
and how the session pages apply them."""

import pytest

from patients.models import Patient
from sessions import safety
from sessions.models import AcupuncturePoint, TreatmentSession
from sessions.safety import ACKNOWLEDGE, REFUSE, REMIND, SafetyWarning
from tests.factories import PatientFactory
from tests.html import field_error, field_tag
from tests.session_factories import TreatmentSessionFactory
from tests.session_helpers import (
    edit_url,
    new_url,
    point_row,
    posted_points,
    session_data,
    sign_url,
)

NO_FLAGS = {}


def review(flags, codes, electrical):
    patient = PatientFactory.build(**flags)
    points = [AcupuncturePoint.objects.get(code=code) for code in codes]
    return safety.review(patient, points, electrical)


# review(): (flags, points, electrical) -> the warnings, in order: (level, field, text in message)
RULES = [
    pytest.param(NO_FLAGS, ["ST36", "LI4", "GV20"], True, [], id="no-flags-no-warnings"),
    pytest.param(
        {"implanted_device": True}, ["ST36"], True,
        [(REFUSE, "electrical", "Electroacupuncture is refused: the patient has a pacemaker")],
        id="implanted-device-with-electrical-is-refused",
    ),
    pytest.param(
        {"implanted_device": True}, ["ST36"], False, [],
        id="implanted-device-without-electrical-is-fine",
    ),
    pytest.param(
        {"epilepsy": True}, ["ST36"], True,
        [(REMIND, "", "Epilepsy: take care with electroacupuncture.")],
        id="epilepsy-with-electrical-reminds",
    ),
    pytest.param({"epilepsy": True}, ["ST36"], False, [], id="epilepsy-without-electrical"),
    pytest.param(
        {"pregnant": True}, ["ST36", "LI4"], False,
        [(ACKNOWLEDGE, "pregnancy_acknowledged",
          "LI4 Hegu: traditionally avoided in pregnancy, and the patient is pregnant.")],
        id="pregnant-with-li4-needs-acknowledgement",
    ),
    pytest.param(
        {"pregnant": True}, ["SP6", "ST36", "CV4"], False,
        [(ACKNOWLEDGE, "pregnancy_acknowledged", "SP6 Sanyinjiao"),
         (ACKNOWLEDGE, "pregnancy_acknowledged", "CV4 Guanyuan")],
        id="pregnant-one-caution-per-point",
    ),
    pytest.param(
        {"pregnant": True}, ["ST36", "GV20", "PC6"], False, [],
        id="pregnant-without-caution-points",
    ),
    pytest.param(NO_FLAGS, ["LI4", "SP6", "CV4"], False, [], id="not-pregnant-no-caution"),
    pytest.param(
        {"anticoagulants": True}, [], False,
        [(REMIND, "", "The patient has anticoagulant medicine: needle superficially")],
        id="anticoagulants-remind",
    ),
    pytest.param(
        {"bleeding_disorder": True}, [], False,
        [(REMIND, "", "The patient has a bleeding disorder: needle superficially")],
        id="bleeding-disorder-reminds",
    ),
    pytest.param(
        {"anticoagulants": True, "bleeding_disorder": True}, [], False,
        [(REMIND, "", "a bleeding disorder")],
        id="anticoagulants-and-bleeding-disorder-remind-once",
    ),
    pytest.param(
        NO_FLAGS, ["ST36", "LU1"], False,
        [(REMIND, "", "LU1 Zhongfu lies over the lung field: keep the depth and angle safe")],
        id="lung-field-point-reminds",
    ),
    pytest.param(
        NO_FLAGS, ["ST9"], False,
        [(REMIND, "", "ST9 Renying lies near a large vessel or the eye. Over the carotid")],
        id="vessel-point-reminds-with-its-caution",
    ),
    pytest.param(
        NO_FLAGS, ["BL1"], False,
        [(REMIND, "", "BL1 Jingming lies near a large vessel or the eye. Near the eye")],
        id="eye-point-reminds",
    ),
    pytest.param(
        {"pregnant": True}, ["GB21"], False,
        [(ACKNOWLEDGE, "pregnancy_acknowledged", "GB21 Jianjing"),
         (REMIND, "", "GB21 Jianjing lies over the lung field")],
        id="a-point-with-two-cautions-gives-both",
    ),
    pytest.param(
        {"needle_fear": True}, ["ST36"], False,
        [(REMIND, "", "Needle fear or fainting: treat lying down.")], id="needle-fear",
    ),
    pytest.param(
        {"metal_allergy": True}, ["ST36"], False,
        [(REMIND, "", "Metal allergy: use nickel-free needles.")], id="metal-allergy",
    ),
    pytest.param(
        {"diabetes_or_neuropathy": True}, ["ST36"], False,
        [(REMIND, "", "Diabetes or neuropathy: check the skin")], id="diabetes",
    ),
    pytest.param(
        {"immunosuppressed": True}, ["ST36"], False,
        [(REMIND, "", "Immunosuppression: strict clean technique")], id="immunosuppression",
    ),
    pytest.param(
        {"lymphoedema_limb": "left_arm"}, ["ST36"], False,
        [(REMIND, "", "Lymphoedema of the left arm: do not needle that limb.")],
        id="lymphoedema-names-the-limb",
    ),
    pytest.param(
        {"lymphoedema_limb": "right_leg"}, [], False,
        [(REMIND, "", "Lymphoedema of the right leg")], id="lymphoedema-right-leg",
    ),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("flags", "codes", "electrical", "expected"), RULES)
def test_review_gives_each_rules_warning_and_no_other(flags, codes, electrical, expected):
    warnings = review(flags, codes, electrical)
    assert [(w.level, w.field) for w in warnings] == [
        (level, field) for level, field, _ in expected
    ]
    for warning, (_, _, text) in zip(warnings, expected, strict=True):
        assert text in warning.message


REFUSAL = SafetyWarning(REFUSE, "Electroacupuncture is refused.", "electrical")
CAUTION = SafetyWarning(ACKNOWLEDGE, "LI4: avoided in pregnancy.", "pregnancy_acknowledged")
REMINDER = SafetyWarning(REMIND, "Needle fear: treat lying down.")


@pytest.mark.parametrize(
    ("warnings", "acknowledged", "blocking"),
    [
        pytest.param([], False, [], id="nothing"),
        pytest.param([REFUSAL], False, [REFUSAL], id="refusal-blocks"),
        pytest.param([REFUSAL], True, [REFUSAL], id="refusal-blocks-even-acknowledged"),
        pytest.param([CAUTION], False, [CAUTION], id="caution-blocks-unacknowledged"),
        pytest.param([CAUTION], True, [], id="acknowledged-caution-passes"),
        pytest.param([REMINDER], False, [], id="reminder-never-blocks"),
        pytest.param([REMINDER, CAUTION, REFUSAL], False, [CAUTION, REFUSAL], id="mixed-in-order"),
        pytest.param([REMINDER, CAUTION, REFUSAL], True, [REFUSAL], id="mixed-acknowledged"),
    ],
)
def test_blocking_keeps_refusals_and_unacknowledged_cautions(warnings, acknowledged, blocking):
    assert safety.blocking(warnings, acknowledged) == blocking


# Through the session pages


def flag(patient, **flags):
    Patient.objects.filter(pk=patient.pk).update(**flags)


def electrical(**fields):
    return session_data(electrical=True, electro_frequency_hz="2", **fields)


def test_it_refuses_electroacupuncture_with_a_pacemaker(practitioner_client, patient):
    flag(patient, implanted_device=True)
    response = practitioner_client.post(new_url(patient), electrical())

    assert response.status_code == 400
    assert "Electroacupuncture is refused" in field_error(response, "electrical")
    assert "checked" in field_tag(response, "id_electrical")
    assert not TreatmentSession.objects.exists()


def test_an_acknowledgement_does_not_lift_the_pacemaker_refusal(practitioner_client, patient):
    flag(patient, implanted_device=True, pregnant=True)
    data = electrical(pregnancy_acknowledged=True, action="sign")
    response = practitioner_client.post(new_url(patient), data)
    assert response.status_code == 400
    assert "Electroacupuncture is refused" in field_error(response, "electrical")
    assert not TreatmentSession.objects.exists()


def test_manual_needling_with_a_pacemaker_is_saved(practitioner_client, patient):
    flag(patient, implanted_device=True)
    response = practitioner_client.post(new_url(patient), session_data())
    assert response.status_code == 302
    assert TreatmentSession.objects.get().electrical is False


def test_electroacupuncture_without_a_device_is_saved(practitioner_client, patient):
    flag(patient, epilepsy=True)  # a reminder, not a block
    assert practitioner_client.post(new_url(patient), electrical()).status_code == 302
    assert TreatmentSession.objects.get().electrical is True


def test_a_pregnancy_caution_point_needs_an_acknowledgement(practitioner_client, patient):
    flag(patient, pregnant=True)
    data = session_data(points=[("ST36", "B"), ("LI4", "B")])
    response = practitioner_client.post(new_url(patient), data)

    assert response.status_code == 400
    assert field_error(response, "pregnancy_acknowledged") == (
        "LI4 Hegu: traditionally avoided in pregnancy, and the patient is pregnant."
    )
    assert posted_points(response) == [("ST36", "B"), ("LI4", "B")]
    assert not TreatmentSession.objects.exists()


def test_save_and_sign_also_needs_the_acknowledgement(practitioner_client, patient):
    flag(patient, pregnant=True)
    data = session_data(points=[("SP6", "B")], action="sign")
    response = practitioner_client.post(new_url(patient), data)
    assert response.status_code == 400
    assert "SP6 Sanyinjiao" in field_error(response, "pregnancy_acknowledged")
    assert not TreatmentSession.objects.exists()


def test_an_acknowledged_pregnancy_caution_is_saved_with_the_acknowledgement(
    practitioner_client, patient
):
    flag(patient, pregnant=True)
    data = session_data(points=[("ST36", "B"), ("LI4", "B")], pregnancy_acknowledged=True)
    response = practitioner_client.post(new_url(patient), data)

    assert response.status_code == 302
    session = TreatmentSession.objects.get()
    assert session.pregnancy_acknowledged is True
    assert sorted(session.points.values_list("point__code", flat=True)) == ["LI4", "ST36"]


def test_a_pregnant_patient_without_caution_points_needs_no_acknowledgement(
    practitioner_client, patient
):
    flag(patient, pregnant=True)
    response = practitioner_client.post(new_url(patient), session_data(points=[("ST36", "B")]))
    assert response.status_code == 302
    assert TreatmentSession.objects.get().pregnancy_acknowledged is False


def test_the_refused_form_lists_the_reminders(practitioner_client, patient):
    flag(patient, pregnant=True, anticoagulants=True)
    data = session_data(points=[("LI4", "B"), ("LU1", "L")])
    response = practitioner_client.post(new_url(patient), data)
    assert response.status_code == 400
    messages = [warning.message for warning in response.context["reminders"]]
    assert len(messages) == 2
    assert "anticoagulant medicine" in messages[0]
    assert messages[1].startswith("LU1 Zhongfu lies over the lung field")
    assert "LU1 Zhongfu lies over the lung field" in response.content.decode()


def test_the_note_page_shows_the_safety_warnings_of_its_points(
    practitioner_client, practitioner, patient
):
    flag(patient, needle_fear=True)
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["ST9"])
    page = practitioner_client.get(session.get_absolute_url()).content.decode()
    assert "ST9 Renying lies near a large vessel or the eye" in page
    assert "Needle fear or fainting: treat lying down." in page


def test_save_and_sign_on_the_edit_page_checks_the_points_already_in_the_draft(
    practitioner_client, practitioner, patient
):
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["LI4"])
    flag(patient, pregnant=True)
    row = session.points.get()
    data = session_data(points=[point_row("LI4", "B", id=row.pk)], initial_points=1, action="sign")
    response = practitioner_client.post(edit_url(session), data)

    session.refresh_from_db()
    assert (session.status, session.pregnancy_acknowledged) == ("draft", False)
    assert response.status_code == 400
    assert "LI4 Hegu" in field_error(response, "pregnancy_acknowledged")


def test_save_and_sign_on_the_edit_page_checks_a_point_added_to_the_draft(
    practitioner_client, practitioner, patient
):
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["ST36"])
    flag(patient, pregnant=True)
    row = session.points.get()
    data = session_data(
        points=[point_row("ST36", "B", id=row.pk), ("SP6", "B")], initial_points=1, action="sign"
    )
    response = practitioner_client.post(edit_url(session), data)

    assert response.status_code == 400
    assert "SP6 Sanyinjiao" in field_error(response, "pregnancy_acknowledged")
    session.refresh_from_db()
    assert session.status == "draft"
    assert list(session.points.values_list("point__code", flat=True)) == ["ST36"]


# The sign button of a saved draft checks again


def test_it_refuses_to_sign_a_draft_whose_patient_became_pregnant(
    practitioner_client, practitioner, patient
):
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["LI4"])
    flag(patient, pregnant=True)

    response = practitioner_client.post(sign_url(session), follow=True)

    assert response.redirect_chain == [(session.get_absolute_url(), 302)]
    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        "LI4 Hegu: traditionally avoided in pregnancy, and the patient is pregnant.",
        "Open the draft, resolve the above, and sign from there.",
    ]
    session.refresh_from_db()
    assert (session.status, session.signed_by, session.signed_at) == ("draft", None, None)


def test_it_refuses_to_sign_a_draft_with_electrical_after_a_pacemaker_was_recorded(
    practitioner_client, practitioner, patient
):
    session = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, electrical=True, electro_frequency_hz=2
    )
    flag(patient, implanted_device=True)
    response = practitioner_client.post(sign_url(session), follow=True)
    assert "Electroacupuncture is refused" in response.content.decode()
    session.refresh_from_db()
    assert session.status == "draft"


def test_it_signs_a_draft_whose_pregnancy_caution_was_acknowledged(
    practitioner_client, practitioner, patient
):
    flag(patient, pregnant=True)
    session = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, points=["LI4"], pregnancy_acknowledged=True
    )
    assert practitioner_client.post(sign_url(session)).status_code == 302
    session.refresh_from_db()
    assert (session.status, session.signed_by) == ("signed", practitioner)
