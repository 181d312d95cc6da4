"""Safety checks of a treatment note (CLINICAL.md section 4): the rules of sessions/safety.py,
and how the session pages apply them."""

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from patients.models import Patient
from sessions import safety
from sessions.models import (
    AcupuncturePoint,
    CautionAcknowledgement,
    SigningRefused,
    TreatmentSession,
)
from sessions.models.signing import MISSING_DETAILS
from sessions.safety import ACKNOWLEDGE, REFUSE, SafetyWarning
from tests.factories import PatientFactory
from tests.html import field_error, field_tag
from tests.session_factories import TreatmentSessionFactory
from tests.session_helpers import (
    edit_url,
    new_url,
    point_row,
    posted_points,
    session_data,
    sign_data,
    sign_url,
)

NO_FLAGS = {}
PREGNANCY = "acknowledge-before-saving"
CAUTION = "acknowledge"


def review(flags, codes, electrical):
    """The review of points given as codes (bilateral) or (code, side)."""
    patient = PatientFactory.build(**flags)
    specs = [(spec, "B") if isinstance(spec, str) else spec for spec in codes]
    sides = [(AcupuncturePoint.objects.get(code=code), side) for code, side in specs]
    return safety.review(patient, sides, electrical)


def kind(warning):
    if warning.level == REFUSE:
        return REFUSE
    return PREGNANCY if warning.before_saving else CAUTION


# review(): (flags, points, electrical) -> the warnings, in order: (kind, key, text in message)
RULES = [
    pytest.param(NO_FLAGS, ["ST36", "LI4", "GV20"], True, [], id="no-flags-no-warnings"),
    pytest.param(
        {"implanted_device": True}, ["ST36"], True,
        [(REFUSE, "", "Electroacupuncture is refused: the patient has a pacemaker")],
        id="implanted-device-with-electrical-is-refused",
    ),
    pytest.param(
        {"implanted_device": True}, ["ST36"], False, [],
        id="implanted-device-without-electrical-is-fine",
    ),
    pytest.param(
        {"epilepsy": True}, ["ST36"], True,
        [(CAUTION, "epilepsy:electroacupuncture", "Epilepsy: take care with electroacupuncture.")],
        id="epilepsy-with-electrical-is-a-caution",
    ),
    pytest.param({"epilepsy": True}, ["ST36"], False, [], id="epilepsy-without-electrical"),
    pytest.param(
        {"pregnant": True}, ["ST36", "LI4"], False,
        [(PREGNANCY, "pregnancy:LI4",
          "LI4 Hegu: traditionally avoided in pregnancy, and the patient is pregnant.")],
        id="pregnant-with-li4-needs-acknowledgement-before-saving",
    ),
    pytest.param(
        {"pregnant": True}, ["SP6", "ST36", "CV4"], False,
        [(PREGNANCY, "pregnancy:SP6", "SP6 Sanyinjiao"),
         (PREGNANCY, "pregnancy:CV4", "CV4 Guanyuan")],
        id="pregnant-one-caution-per-point",
    ),
    pytest.param(
        {"pregnant": True}, ["ST36", "GV20", "PC6"], False, [],
        id="pregnant-without-caution-points",
    ),
    pytest.param(NO_FLAGS, ["LI4", "SP6", "CV4"], False, [], id="not-pregnant-no-caution"),
    pytest.param(
        {"anticoagulants": True}, [], False,
        [(CAUTION, "condition:bleeding",
          "The patient takes anticoagulant or antiplatelet medicine: needle superficially")],
        id="anticoagulants",
    ),
    pytest.param(
        {"bleeding_disorder": True}, [], False,
        [(CAUTION, "condition:bleeding", "The patient has a bleeding disorder: needle")],
        id="bleeding-disorder",
    ),
    pytest.param(
        {"anticoagulants": True, "bleeding_disorder": True}, [], False,
        [(CAUTION, "condition:bleeding", "The patient takes anticoagulant or antiplatelet "
          "medicine and has a bleeding disorder: needle superficially")],
        id="anticoagulants-and-bleeding-disorder-in-one-message-naming-both",
    ),
    pytest.param(
        NO_FLAGS, ["ST36", "LU1"], False,
        [(CAUTION, "lung_field:LU1", "LU1 Zhongfu lies over the lung field: keep the depth")],
        id="lung-field-point-is-a-caution",
    ),
    pytest.param(
        NO_FLAGS, [("LU1", "L"), ("LU1", "R")], False,
        [(CAUTION, "lung_field:LU1", "LU1 Zhongfu")],
        id="a-point-left-and-right-is-one-caution",
    ),
    pytest.param(
        NO_FLAGS, ["SI12", "SI13", "TE15", "EX-B3", "EX-B2"], False,
        [(CAUTION, "lung_field:SI12", "SI12 Bingfeng lies over the lung field"),
         (CAUTION, "lung_field:SI13", "SI13 Quyuan lies over the lung field"),
         (CAUTION, "lung_field:TE15", "TE15 Tianliao lies over the lung field"),
         (CAUTION, "lung_field:EX-B3", "EX-B3 Weiwanxiashu lies over the lung field"),
         (CAUTION, "lung_field:EX-B2", "EX-B2 Jiaji lies over the lung field")],
        id="the-lung-field-points-issue-13-added-are-cautions",
    ),
    pytest.param(
        NO_FLAGS, [("CV8", "M")], False,
        [(CAUTION, "do_not_needle:CV8", "CV8 Shenque is not needled (moxibustion only)")],
        id="cv8-is-not-needled-a-caution",
    ),
    pytest.param(
        NO_FLAGS, [("CV6", "M"), ("CV12", "M")], False, [], id="other-cv-points-are-needled"
    ),
    pytest.param(
        NO_FLAGS, ["ST9"], False,
        [(CAUTION, "vessel_or_eye:ST9", "ST9 Renying lies near a large vessel or the eye. Over")],
        id="vessel-point-with-its-caution",
    ),
    pytest.param(
        NO_FLAGS, ["BL1"], False,
        [(CAUTION, "vessel_or_eye:BL1", "BL1 Jingming lies near a large vessel or the eye. Near")],
        id="eye-point",
    ),
    pytest.param(
        {"pregnant": True}, ["GB21"], False,
        [(PREGNANCY, "pregnancy:GB21", "GB21 Jianjing"),
         (CAUTION, "lung_field:GB21", "GB21 Jianjing lies over the lung field")],
        id="a-point-with-two-cautions-gives-both",
    ),
    pytest.param(
        {"needle_fear": True}, ["ST36"], False,
        [(CAUTION, "condition:needle_fear", "Needle fear or fainting: treat lying down.")],
        id="needle-fear",
    ),
    pytest.param(
        {"metal_allergy": True}, ["ST36"], False,
        [(CAUTION, "condition:metal_allergy", "Metal allergy: use nickel-free needles.")],
        id="metal-allergy",
    ),
    pytest.param(
        {"diabetes_or_neuropathy": True}, ["ST36"], False,
        [(CAUTION, "condition:diabetes_or_neuropathy", "Diabetes or neuropathy: check the skin")],
        id="diabetes",
    ),
    pytest.param(
        {"immunosuppressed": True}, ["ST36"], False,
        [(CAUTION, "condition:immunosuppressed", "Immunosuppression: strict clean technique")],
        id="immunosuppression",
    ),
    pytest.param(
        {"skin_infection": True}, ["ST36"], False,
        [(CAUTION, "condition:skin_infection", "Skin infection or broken skin at a site: look")],
        id="skin-infection-or-broken-skin",
    ),
    pytest.param(
        {"lymphoedema_limb": "left_arm"}, ["ST36"], False,
        [(CAUTION, "condition:lymphoedema", "Lymphoedema of the left arm: do not needle there.")],
        id="lymphoedema-names-the-limb-without-a-point-on-it",
    ),
    pytest.param(
        {"lymphoedema_limb": "left_arm"}, [("LI4", "L")], False,
        [(CAUTION, "condition:lymphoedema", "Lymphoedema of the left arm"),
         (CAUTION, "lymphoedema:LI4",
          "LI4 Hegu is needled on the left arm, which has lymphoedema: do not needle")],
        id="lymphoedema-a-point-on-that-limb",
    ),
    pytest.param(
        {"lymphoedema_limb": "left_arm"}, [("LI4", "B")], False,
        [(CAUTION, "condition:lymphoedema", "left arm"),
         (CAUTION, "lymphoedema:LI4", "LI4 Hegu is needled on the left arm")],
        id="lymphoedema-a-bilateral-point-includes-that-limb",
    ),
    pytest.param(
        {"lymphoedema_limb": "left_arm"}, [("LI4", "R"), ("ST36", "L"), "GV20"], False,
        [(CAUTION, "condition:lymphoedema", "left arm")],
        id="lymphoedema-the-other-arm-a-leg-and-the-midline-are-quiet",
    ),
    pytest.param(
        {"lymphoedema_limb": "both_arms"}, [("PC6", "B"), ("EX-UE9", "R")], False,
        [(CAUTION, "condition:lymphoedema", "Lymphoedema of both arms: do not needle there."),
         (CAUTION, "lymphoedema:PC6", "PC6 Neiguan is needled on both arms"),
         (CAUTION, "lymphoedema:EX-UE9", "is needled on the right arm")],
        id="lymphoedema-of-both-arms",
    ),
    pytest.param(
        {"lymphoedema_limb": "right_leg"}, [("SP6", "R"), ("LR3", "B"), ("LI4", "R")], False,
        [(CAUTION, "condition:lymphoedema", "right leg"),
         (CAUTION, "lymphoedema:SP6", "SP6 Sanyinjiao is needled on the right leg"),
         (CAUTION, "lymphoedema:LR3", "LR3 Taichong is needled on the right leg")],
        id="lymphoedema-of-a-leg-the-foot-is-on-it",
    ),
]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(("flags", "codes", "electrical", "expected"), RULES)
def test_review_gives_each_rules_warning_and_no_other(flags, codes, electrical, expected):
    warnings = review(flags, codes, electrical)
    assert [(kind(w), w.key) for w in warnings] == [(k, key) for k, key, _ in expected]
    for warning, (_, _, text) in zip(warnings, expected, strict=True):
        assert text in warning.message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "limb"),
    [("LI4", "arm"), ("LI15", "arm"), ("HT1", "arm"), ("EX-UE9", "arm"), ("ST36", "leg"),
     ("LR3", "leg"), ("GB30", "leg"), ("EX-LE10", "leg"), ("LU1", ""), ("GV20", ""),
     ("BL23", ""), ("EX-B2", "")],
)  # fmt: skip
def test_a_point_is_on_a_limb_by_its_region(code, limb):
    assert AcupuncturePoint.objects.get(code=code).limb == limb


def test_a_region_the_catalogue_may_gain_is_no_limb():
    point = AcupuncturePoint(code="EAR-SHENMEN", channel="CLINIC", region="scalp")
    assert point.limb == ""
    assert AcupuncturePoint(code="EX-UE99", channel="EX", region="scalp").limb == "arm"


ACK = SafetyWarning(ACKNOWLEDGE, "LU1: over the lung field.", "acknowledge", "lung_field:LU1")
PREG = SafetyWarning(ACKNOWLEDGE, "LI4: in pregnancy.", "acknowledge", "pregnancy:LI4", True)
REFUSAL = SafetyWarning(REFUSE, "Electroacupuncture is refused.", "electrical")


@pytest.mark.parametrize(
    ("warnings", "acknowledged", "blocking"),
    [
        pytest.param([], set(), [], id="nothing"),
        pytest.param([REFUSAL], set(), [REFUSAL], id="refusal-blocks"),
        pytest.param([PREG], set(), [PREG], id="pregnancy-caution-blocks-saving"),
        pytest.param([PREG], {"pregnancy:LI4"}, [], id="acknowledged-pregnancy-passes"),
        pytest.param([ACK], set(), [], id="other-cautions-do-not-block-saving"),
        pytest.param([ACK, PREG, REFUSAL], {"pregnancy:LI4"}, [REFUSAL], id="mixed"),
    ],
)
def test_blocking_keeps_refusals_and_unacknowledged_pregnancy_cautions(
    warnings, acknowledged, blocking
):
    assert safety.blocking(warnings, acknowledged) == blocking


@pytest.mark.parametrize(
    ("acknowledged", "left"),
    [
        pytest.param(set(), [ACK, PREG], id="none-acknowledged"),
        pytest.param({"lung_field:LU1"}, [PREG], id="one-acknowledged"),
        pytest.param({"lung_field:LU1", "pregnancy:LI4"}, [], id="all-acknowledged"),
        pytest.param({"lung_field:LU2"}, [ACK, PREG], id="another-points-key-is-not-it"),
    ],
)
def test_unacknowledged_keeps_each_caution_not_acknowledged(acknowledged, left):
    assert safety.unacknowledged([REFUSAL, ACK, PREG], acknowledged) == left


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


def test_no_acknowledgement_lifts_the_pacemaker_refusal(practitioner_client, patient):
    flag(patient, implanted_device=True, pregnant=True)
    data = electrical(points=[("LI4", "B")], acknowledge=None, action="sign")
    data["acknowledge"] = ["pregnancy:LI4"]
    response = practitioner_client.post(new_url(patient), data)
    assert response.status_code == 400
    assert "Electroacupuncture is refused" in field_error(response, "electrical")
    assert not TreatmentSession.objects.exists()


def test_manual_needling_with_a_pacemaker_is_saved(practitioner_client, patient):
    flag(patient, implanted_device=True)
    response = practitioner_client.post(new_url(patient), session_data())
    assert response.status_code == 302
    assert TreatmentSession.objects.get().electrical is False


def test_electroacupuncture_with_epilepsy_is_saved_and_its_caution_waits_for_signing(
    practitioner_client, patient
):
    flag(patient, epilepsy=True)
    assert practitioner_client.post(new_url(patient), electrical()).status_code == 302
    session = TreatmentSession.objects.get()
    assert session.electrical is True
    assert [w.key for w in session.cautions()] == ["epilepsy:electroacupuncture"]


def test_a_pregnancy_caution_point_needs_an_acknowledgement_to_save(practitioner_client, patient):
    flag(patient, pregnant=True)
    data = session_data(points=[("ST36", "B"), ("LI4", "B")])
    response = practitioner_client.post(new_url(patient), data)

    assert response.status_code == 400
    assert response.context["form"].errors["acknowledge"] == [
        "LI4 Hegu: traditionally avoided in pregnancy, and the patient is pregnant."
    ]
    page = response.content.decode()
    assert 'name="acknowledge" value="pregnancy:LI4"' in page  # its box, next to its error
    assert posted_points(response) == [("ST36", "B"), ("LI4", "B")]
    assert not TreatmentSession.objects.exists()


def test_another_points_acknowledgement_does_not_count(practitioner_client, patient):
    flag(patient, pregnant=True)
    data = session_data(points=[("LI4", "B"), ("SP6", "B")])
    data["acknowledge"] = ["pregnancy:LI4"]
    response = practitioner_client.post(new_url(patient), data)
    assert response.status_code == 400
    assert response.context["form"].errors["acknowledge"] == [
        "SP6 Sanyinjiao: traditionally avoided in pregnancy, and the patient is pregnant."
    ]
    assert 'value="pregnancy:LI4" id="ack-1" checked' in response.content.decode()


def test_an_acknowledged_pregnancy_caution_is_saved_with_who_when_and_which(
    practitioner_client, practitioner, patient
):
    flag(patient, pregnant=True)
    data = session_data(points=[("ST36", "B"), ("LI4", "B")])
    data["acknowledge"] = ["pregnancy:LI4"]
    before = timezone.now()
    response = practitioner_client.post(new_url(patient), data)

    assert response.status_code == 302
    session = TreatmentSession.objects.get()
    ack = session.acknowledgements.get()
    assert (ack.caution, ack.acknowledged_by) == ("pregnancy:LI4", practitioner)
    assert (
        ack.message == "LI4 Hegu: traditionally avoided in pregnancy, and the patient is pregnant."
    )
    assert before <= ack.acknowledged_at <= timezone.now()
    event = AuditEvent.objects.get(object_type="treatment_sessions.cautionacknowledgement")
    assert (event.action, event.user, event.patient_uuid) == ("create", practitioner, patient.uuid)


def test_a_tick_for_a_caution_the_note_does_not_have_is_not_stored(practitioner_client, patient):
    data = session_data(points=[("ST36", "B")])
    data["acknowledge"] = ["lung_field:LU1", "made-up"]
    assert practitioner_client.post(new_url(patient), data).status_code == 302
    assert not CautionAcknowledgement.objects.exists()


def test_a_pregnant_patient_without_caution_points_needs_no_acknowledgement(
    practitioner_client, patient
):
    flag(patient, pregnant=True)
    response = practitioner_client.post(new_url(patient), session_data(points=[("ST36", "B")]))
    assert response.status_code == 302


def test_a_lung_field_point_is_saved_unacknowledged_and_the_form_asks_for_it(
    practitioner_client, patient
):
    data = session_data(points=[("LU1", "L")])
    response = practitioner_client.post(new_url(patient), data)
    assert response.status_code == 302
    session = TreatmentSession.objects.get()
    page = practitioner_client.get(edit_url(session)).content.decode()
    assert 'name="acknowledge" value="lung_field:LU1"' in page
    assert "LU1 Zhongfu lies over the lung field" in page


def test_a_removed_point_takes_its_acknowledgement_with_it(
    practitioner_client, practitioner, patient
):
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["LU1"])
    row = session.points.get()
    data = session_data(points=[point_row("LU1", "B", id=row.pk)], initial_points=1)
    data.update(version=session.version, acknowledge=["lung_field:LU1"])
    assert practitioner_client.post(edit_url(session), data).status_code == 302
    assert list(session.acknowledgements.values_list("caution", flat=True)) == ["lung_field:LU1"]
    session.refresh_from_db()
    data = session_data(points=[point_row("LU1", "B", id=row.pk, DELETE=True)], initial_points=1)
    data.update(version=session.version)
    assert practitioner_client.post(edit_url(session), data).status_code == 302
    assert not session.acknowledgements.exists()


def test_the_refused_form_lists_the_cautions_with_their_boxes(practitioner_client, patient):
    flag(patient, pregnant=True, anticoagulants=True)
    data = session_data(points=[("LI4", "B"), ("LU1", "L")])
    response = practitioner_client.post(new_url(patient), data)
    assert response.status_code == 400
    keys = [warning.key for warning in response.context["cautions"]]
    assert keys == ["pregnancy:LI4", "condition:bleeding", "lung_field:LU1"]
    page = response.content.decode()
    assert "LU1 Zhongfu lies over the lung field" in page
    assert "needed to save" in page


def test_the_draft_page_shows_the_cautions_of_its_points(
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
    assert session.status == "draft"
    assert response.status_code == 400
    assert "LI4 Hegu" in str(response.context["form"].errors["acknowledge"])


# The sign review asks what the form did not


def test_it_refuses_to_sign_a_draft_whose_patient_became_pregnant(
    practitioner_client, practitioner, patient
):
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["LI4"])
    flag(patient, pregnant=True)

    response = practitioner_client.post(sign_url(session), sign_data(session))

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Acknowledge each caution marked below (1 left)."
    ]
    assert "LI4 Hegu: traditionally avoided in pregnancy" in response.content.decode()
    session.refresh_from_db()
    assert (session.status, session.signed_by, session.signed_at) == ("draft", None, None)


def test_it_refuses_to_sign_a_draft_with_electrical_after_a_pacemaker_was_recorded(
    practitioner_client, practitioner, patient
):
    session = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, electrical=True, electro_frequency_hz=2
    )
    flag(patient, implanted_device=True)
    page = practitioner_client.get(sign_url(session)).content.decode()
    assert "This note cannot be signed" in page
    assert "Sign the note</button>" not in page
    response = practitioner_client.post(sign_url(session), sign_data(session))
    assert response.status_code == 400
    assert "Electroacupuncture is refused" in response.content.decode()
    session.refresh_from_db()
    assert session.status == "draft"


def test_it_signs_a_draft_whose_pregnancy_caution_was_acknowledged_on_the_form(
    practitioner_client, practitioner, patient
):
    flag(patient, pregnant=True)
    data = session_data(points=[("LI4", "B")], plan="Review", needle_material="Steel")
    data["acknowledge"] = ["pregnancy:LI4"]
    practitioner_client.post(new_url(patient), data)
    session = TreatmentSession.objects.get()
    page = practitioner_client.get(sign_url(session)).content.decode()
    assert "Acknowledged by Dr Zhao" in page
    assert practitioner_client.post(sign_url(session), sign_data(session)).status_code == 302
    session.refresh_from_db()
    assert (session.status, session.signed_by) == ("signed", practitioner)


def test_a_cv8_note_is_signed_only_once_its_do_not_needle_caution_is_acknowledged(
    practitioner, patient
):
    session = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, points=[("CV8", "M")], moxibustion=True
    )
    past = [key for key, _ in MISSING_DETAILS]
    with pytest.raises(SigningRefused) as refused:
        session.sign(by=practitioner, signed_with=past)
    assert refused.value.messages == [safety.DO_NOT_NEEDLE.format(point="CV8 Shenque")]
    assert TreatmentSession.objects.get(pk=session.pk).status == "draft"

    session.sign(by=practitioner, acknowledged={"do_not_needle:CV8"}, signed_with=past)
    ack = TreatmentSession.objects.get(pk=session.pk).acknowledgements.get()
    assert (ack.caution, ack.acknowledged_by) == ("do_not_needle:CV8", practitioner)


def test_a_cv8_point_on_the_form_gets_its_box_and_saves_unticked(practitioner_client, patient):
    data = session_data(points=[("CV8", "M")], moxibustion="on")
    assert practitioner_client.post(new_url(patient), data).status_code == 302
    session = TreatmentSession.objects.get()
    page = practitioner_client.get(edit_url(session)).content.decode()
    assert 'name="acknowledge" value="do_not_needle:CV8"' in page
    assert "CV8 Shenque is not needled (moxibustion only)" in page


def test_a_box_unticked_on_the_form_forgets_its_acknowledgement(
    practitioner_client, practitioner, patient
):
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["LU1"])
    session.acknowledge({"lung_field:LU1"}, practitioner)
    page = practitioner_client.get(edit_url(session)).content.decode()
    assert 'value="lung_field:LU1" id="ack-1" checked' in page  # shown ticked
    row = session.points.get()
    data = session_data(points=[point_row("LU1", "B", id=row.pk)], initial_points=1)
    data.update(version=session.version)  # the box unticked
    assert practitioner_client.post(edit_url(session), data).status_code == 302
    assert not session.acknowledgements.exists()


def test_an_unticked_pregnancy_acknowledgement_stops_the_save(
    practitioner_client, practitioner, patient
):
    flag(patient, pregnant=True)
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["LI4"])
    TreatmentSession.objects.get(pk=session.pk).acknowledge({"pregnancy:LI4"}, practitioner)
    row = session.points.get()
    data = session_data(points=[point_row("LI4", "B", id=row.pk)], initial_points=1)
    data.update(version=session.version)
    response = practitioner_client.post(edit_url(session), data)
    assert response.status_code == 400
    assert "LI4 Hegu" in str(response.context["form"].errors["acknowledge"])
    assert session.acknowledgements.get().caution == "pregnancy:LI4"  # nothing written
