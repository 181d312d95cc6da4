"""The sign review (issue 13): pressing "Sign" shows the points and needle count, each caution
with its acknowledgement box, and what STRICTA expects but the note lacks; the note locks
only once each caution is acknowledged (stored: who, when, which) and each missing item is
ticked to sign past ("signed with: ..."); a refusal has no way past. After signing the page
offers the next steps, the amendment form below them."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from audit.models import AuditEvent
from patients.models import Patient
from sessions.models import (
    CautionAcknowledgement,
    SignedSessionError,
    SigningRefused,
    TreatmentSession,
)
from sessions.models.signing import MISSING_NOT_ACCEPTED
from sessions.views.notes import CAUTIONS_LEFT, MISSING_LEFT
from tests.session_factories import TreatmentSessionFactory
from tests.session_helpers import note_url, sign_data

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite refuses a DELETE by the models only"
)


def flag(patient, **flags):
    Patient.objects.filter(pk=patient.pk).update(**flags)


@pytest.fixture
def lung(patient, practitioner):
    """A complete draft with LU1 on the left: one caution, nothing missing."""
    return TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, points=[("LU1", "L"), ("ST36", "B")]
    )


# Who may see it


def test_an_anonymous_visitor_is_sent_to_log_in(client, lung):
    response = client.get(note_url("sign", lung))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_a_user_without_a_role_is_refused(outsider_client, lung):
    assert outsider_client.get(note_url("sign", lung)).status_code == 403


def test_another_practitioner_sees_no_review_and_signs_nothing(client, second_practitioner, lung):
    client.force_login(second_practitioner)
    assert client.get(note_url("sign", lung)).status_code == 403
    data = sign_data(lung, acknowledge=["lung_field:LU1"])
    assert client.post(note_url("sign", lung), data).status_code == 403
    assert not CautionAcknowledgement.objects.exists()


def test_the_review_under_another_patients_address_is_a_404(practitioner_client, lung, invited):
    assert practitioner_client.get(note_url("sign", lung, patient=invited)).status_code == 404


def test_the_review_of_a_signed_note_is_refused(practitioner_client, signed):
    assert practitioner_client.get(note_url("sign", signed)).status_code == 409


# What it shows


def test_the_review_shows_the_points_the_needle_count_and_the_caution(practitioner_client, lung):
    response = practitioner_client.get(note_url("sign", lung))
    page = response.content.decode()
    assert response.status_code == 200
    assert "LU1 Zhongfu · left" in page and "ST36 Zusanli · bilateral" in page
    assert "3 needles" in page
    assert 'name="acknowledge" value="lung_field:LU1"' in page
    assert "LU1 Zhongfu lies over the lung field" in page
    assert "Missing from the note" not in page
    assert "Sign the note</button>" in page
    assert TreatmentSession.objects.get(pk=lung.pk).status == "draft"


def test_the_draft_page_sign_button_opens_the_review(practitioner_client, lung):
    page = practitioner_client.get(lung.get_absolute_url()).content.decode()
    assert f'href="{note_url("sign", lung)}"' in page


# Each caution, both ways

CAUTIONS = [
    pytest.param({}, [("LU1", "L")], False, "lung_field:LU1", id="lung-field"),
    pytest.param({}, ["ST9"], False, "vessel_or_eye:ST9", id="large-vessel"),
    pytest.param({}, ["BL1"], False, "vessel_or_eye:BL1", id="eye"),
    pytest.param(
        {}, [("SI12", "R")], False, "lung_field:SI12", id="lung-field-the-catalogue-added",
    ),
    pytest.param({}, [("CV8", "M")], False, "do_not_needle:CV8", id="cv8-not-needled"),
    pytest.param({"pregnant": True}, ["SP6"], False, "pregnancy:SP6", id="pregnancy"),
    pytest.param({"epilepsy": True}, ["ST36"], True, "epilepsy:electroacupuncture", id="epilepsy"),
    pytest.param(
        {"lymphoedema_limb": "right_arm"}, [("LI4", "R")], False, "lymphoedema:LI4",
        id="point-on-a-limb-with-lymphoedema",
    ),
    pytest.param(
        {"skin_infection": True}, ["ST36"], False, "condition:skin_infection", id="skin",
    ),
    pytest.param(
        {"anticoagulants": True, "bleeding_disorder": True}, ["ST36"], False,
        "condition:bleeding", id="bleeding",
    ),
]  # fmt: skip


def note_with(patient, practitioner, flags, points, electrical):
    flag(patient, **flags)
    extra = {"electrical": True, "electro_frequency_hz": 2} if electrical else {}
    session = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, points=points, **extra
    )
    return TreatmentSession.objects.select_related("patient").get(pk=session.pk)


@pytest.mark.parametrize(("flags", "points", "electrical", "key"), CAUTIONS)
def test_each_caution_is_asked_and_stops_the_sign_until_acknowledged(
    practitioner_client, practitioner, patient, flags, points, electrical, key
):
    session = note_with(patient, practitioner, flags, points, electrical)
    page = practitioner_client.get(note_url("sign", session)).content.decode()
    assert f'name="acknowledge" value="{key}"' in page

    response = practitioner_client.post(note_url("sign", session), sign_data(session))
    assert response.status_code == 400
    left = CAUTIONS_LEFT.format(count=len(session.cautions()))
    assert response.context["form"].non_field_errors() == [left]
    assert "Acknowledge this caution to sign." in response.content.decode()
    assert TreatmentSession.objects.get(pk=session.pk).status == "draft"
    assert not CautionAcknowledgement.objects.exists()


@pytest.mark.parametrize(("flags", "points", "electrical", "key"), CAUTIONS)
def test_each_acknowledged_caution_is_stored_with_the_signed_note(
    practitioner_client, practitioner, patient, flags, points, electrical, key
):
    session = note_with(patient, practitioner, flags, points, electrical)
    before = timezone.now()
    data = sign_data(session, acknowledge=[w.key for w in session.cautions()])
    assert practitioner_client.post(note_url("sign", session), data).status_code == 302

    session.refresh_from_db()
    assert session.status == "signed"
    ack = session.acknowledgements.get(caution=key)
    assert ack.acknowledged_by == practitioner
    assert before <= ack.acknowledged_at <= timezone.now()
    assert ack.message in [w.message for w in session.cautions()]


def test_a_note_without_cautions_asks_none(practitioner_client, draft):
    page = practitioner_client.get(note_url("sign", draft)).content.decode()
    assert 'name="acknowledge"' not in page
    assert practitioner_client.post(note_url("sign", draft), sign_data(draft)).status_code == 302


def test_the_signed_note_shows_its_acknowledgements(practitioner_client, lung):
    data = sign_data(lung, acknowledge=["lung_field:LU1"])
    page = practitioner_client.post(note_url("sign", lung), data, follow=True).content.decode()
    assert "Cautions acknowledged" in page
    assert "LU1 Zhongfu lies over the lung field" in page
    event = AuditEvent.objects.get(object_type="treatment_sessions.cautionacknowledgement")
    assert (event.action, event.patient_uuid) == ("create", lung.patient.uuid)


def test_a_partly_acknowledged_review_keeps_the_ticks(practitioner_client, practitioner, patient):
    flag(patient, needle_fear=True)
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["LU1"])
    data = sign_data(session, acknowledge=["condition:needle_fear"])
    response = practitioner_client.post(note_url("sign", session), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'value="condition:needle_fear" id="ack-1" checked' in page
    assert 'value="lung_field:LU1" id="ack-2" aria-describedby' in page
    assert not CautionAcknowledgement.objects.exists()  # nothing stored from a refused sign


# Each missing item, both ways

MISSING = [
    pytest.param(
        {"subjective": "", "objective": "", "assessment": "", "plan": ""}, "notes",
        "no notes text", id="no-notes-text",
    ),
    pytest.param({"response_obtained": ""}, "response", "no response obtained", id="no-response"),
    pytest.param({"retention_minutes": 0}, "retention", "no retention time", id="no-retention"),
    pytest.param({"needle_material": ""}, "needle_type", "no needle type", id="no-needle-type"),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "key", "what"), MISSING)
def test_each_missing_item_is_a_warning_to_sign_past_knowingly(
    practitioner_client, practitioner, patient, fields, key, what
):
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, **fields)
    assert session.missing_details() == [(key, what)]
    page = practitioner_client.get(note_url("sign", session)).content.decode()
    assert f"<li>{what.capitalize()}</li>" in page
    assert f"Sign with {what}</label>" in page

    response = practitioner_client.post(note_url("sign", session), sign_data(session))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [MISSING_LEFT]
    assert "Tick this to sign without them" in response.content.decode()
    assert TreatmentSession.objects.get(pk=session.pk).status == "draft"

    data = sign_data(session, sign_past_missing=True)
    response = practitioner_client.post(note_url("sign", session), data, follow=True)
    session.refresh_from_db()
    assert (session.status, session.signed_with) == ("signed", what)
    assert f"signed with: {what}" in response.content.decode()


@pytest.mark.parametrize(("fields", "key", "what"), MISSING)
def test_a_note_with_the_item_is_not_asked_for_it(practitioner_client, draft, fields, key, what):
    assert draft.missing_details() == []
    page = practitioner_client.get(note_url("sign", draft)).content.decode()
    assert what not in page
    assert 'name="sign_past_missing"' not in page


def test_ticking_the_box_on_a_complete_note_records_nothing(practitioner_client, draft):
    data = sign_data(draft, sign_past_missing=True)
    assert practitioner_client.post(note_url("sign", draft), data).status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.signed_with) == ("signed", "")


def test_several_missing_items_are_kept_in_order(practitioner_client, practitioner, patient):
    session = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, plan="", needle_material=""
    )
    practitioner_client.post(note_url("sign", session), sign_data(session, sign_past_missing=True))
    session.refresh_from_db()
    assert session.signed_with == "no notes text; no needle type"


def test_the_model_signs_past_only_the_items_named(practitioner, patient):
    session = TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, plan="", needle_material=""
    )
    with pytest.raises(SigningRefused) as refused:
        session.sign(by=practitioner, signed_with=["notes"])
    assert refused.value.messages == [MISSING_NOT_ACCEPTED.format(what="no needle type")]
    session.sign(by=practitioner, signed_with=["notes", "needle_type"])
    assert TreatmentSession.objects.get(pk=session.pk).signed_with == (
        "no notes text; no needle type"
    )


# Bad input: 4xx, never a 500


def test_a_caution_key_the_note_does_not_have_is_ignored(practitioner_client, draft):
    data = sign_data(draft, acknowledge=["lung_field:LU9"])
    assert practitioner_client.post(note_url("sign", draft), data).status_code == 302
    assert not CautionAcknowledgement.objects.exists()


def test_an_overlong_caution_key_is_a_400(practitioner_client, draft):
    data = sign_data(draft, acknowledge=["x" * 81])
    assert practitioner_client.post(note_url("sign", draft), data).status_code == 400
    assert TreatmentSession.objects.get(pk=draft.pk).status == "draft"


def test_a_stale_review_is_a_409_that_signs_nothing(practitioner_client, lung):
    data = sign_data(lung, acknowledge=["lung_field:LU1"])
    TreatmentSession.objects.get(pk=lung.pk).save()  # saved in another tab meanwhile
    response = practitioner_client.post(note_url("sign", lung), data)
    assert response.status_code == 409
    assert "changed after you opened this review" in response.content.decode()
    assert not CautionAcknowledgement.objects.exists()
    assert TreatmentSession.objects.get(pk=lung.pk).status == "draft"


# After signing


def test_after_signing_the_page_offers_the_next_steps_and_the_amendment_below(
    practitioner_client, draft
):
    response = practitioner_client.post(note_url("sign", draft), sign_data(draft), follow=True)
    page = response.content.decode()
    assert "Session 1 signed." in page
    assert "Back to the patient" in page
    assert "Send a check-in link" in page
    assert page.index("Send a check-in link") < page.index("Add an amendment")
    assert '<details class="card col-lg-8 no-print mt-3" id="amend">' in page  # folded


def test_a_discharged_patients_signed_note_offers_no_check_in_link(
    practitioner_client, practitioner, patient
):
    flag(patient, status=Patient.Status.DISCHARGED)
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, signed=True)
    page = practitioner_client.get(session.get_absolute_url()).content.decode()
    assert "Back to the patient" in page and "Send a check-in link" not in page


# A signed note's acknowledgements are kept as they were


@pytest.fixture
def acknowledged(practitioner, lung):
    lung.sign(by=practitioner, acknowledged={"lung_field:LU1"})
    return lung.acknowledgements.get()


def test_the_model_refuses_to_change_or_delete_a_signed_notes_acknowledgement(acknowledged):
    acknowledged.message = "rewritten"
    with pytest.raises(SignedSessionError):
        acknowledged.save()
    with pytest.raises(SignedSessionError):
        acknowledged.delete()
    assert CautionAcknowledgement.objects.get().message.startswith("LU1 Zhongfu")


def test_the_database_refuses_to_change_a_signed_notes_acknowledgement(acknowledged):
    with pytest.raises(DatabaseError), transaction.atomic():
        CautionAcknowledgement.objects.filter(pk=acknowledged.pk).update(caution="other")
    assert CautionAcknowledgement.objects.get().caution == "lung_field:LU1"


def test_the_database_refuses_a_new_acknowledgement_on_a_signed_note(acknowledged, practitioner):
    with pytest.raises(DatabaseError), transaction.atomic():
        CautionAcknowledgement.objects.bulk_create(
            [
                CautionAcknowledgement(
                    session=acknowledged.session, caution="late", message="Late.",
                    acknowledged_by=practitioner,
                )
            ]
        )  # fmt: skip
    assert CautionAcknowledgement.objects.count() == 1


def test_the_database_refuses_to_change_what_a_signed_note_was_signed_with(acknowledged):
    with pytest.raises(DatabaseError), transaction.atomic():
        TreatmentSession.objects.filter(pk=acknowledged.session_id).update(signed_with="x")
    assert TreatmentSession.objects.get(pk=acknowledged.session_id).signed_with == ""


@postgres_only
def test_postgresql_refuses_to_delete_a_signed_notes_acknowledgement(acknowledged):
    with pytest.raises(DatabaseError), transaction.atomic():
        CautionAcknowledgement.objects.filter(pk=acknowledged.pk)._raw_delete(connection.alias)
    assert CautionAcknowledgement.objects.exists()


def test_the_database_keeps_one_acknowledgement_a_caution(lung, practitioner):
    fields = {"caution": "lung_field:LU1", "message": "LU1.", "acknowledged_by": practitioner}
    CautionAcknowledgement.objects.create(session=lung, **fields)
    with pytest.raises(DatabaseError), transaction.atomic():
        CautionAcknowledgement.objects.bulk_create([CautionAcknowledgement(session=lung, **fields)])
    assert lung.acknowledgements.count() == 1


def test_a_draft_keeps_its_acknowledgements_changeable(lung, practitioner):
    ack = CautionAcknowledgement.objects.create(
        session=lung, caution="lung_field:LU1", message="LU1.", acknowledged_by=practitioner
    )
    CautionAcknowledgement.objects.filter(pk=ack.pk).update(message="LU1, again.")
    ack.delete()
    assert not lung.acknowledgements.exists()


@pytest.mark.parametrize("codes", [["LU1", "ST36"], ["LU1", "ST36", "LI4", "SP6", "GB21", "ST9"]])
def test_the_review_query_count_does_not_grow_with_the_points_or_cautions(
    practitioner_client, practitioner, patient, codes, django_assert_num_queries
):
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=codes)
    # 1 session, 2 user, 3 permissions, 4 the note with its patient, 5 its points with
    # theirs, 6 audit insert, 7 the acknowledgements with who gave them, 8 a signed note
    # of the patient's (red flags stop only the first), 9 an unreviewed red flag.
    with django_assert_num_queries(9):
        assert practitioner_client.get(note_url("sign", session)).status_code == 200


def test_a_garbled_version_is_a_400_that_says_so(practitioner_client, draft):
    response = practitioner_client.post(note_url("sign", draft), {"version": "x" * 41})
    assert response.status_code == 400
    assert "could not be read (version)" in response.content.decode()
    assert TreatmentSession.objects.get(pk=draft.pk).status == "draft"


def test_the_draft_page_marks_the_cautions_already_acknowledged(
    practitioner_client, practitioner, patient
):
    flag(patient, needle_fear=True)
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["LU1"])
    TreatmentSession.objects.get(pk=session.pk).acknowledge({"lung_field:LU1"}, practitioner)
    page = practitioner_client.get(session.get_absolute_url()).content.decode()
    assert '(pneumothorax risk). <span class="badge text-bg-light border">acknowledged' in page
    assert "treat lying down.</li>" in page  # not yet
