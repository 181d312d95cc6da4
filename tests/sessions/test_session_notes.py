"""A saved treatment note: its page, print view, signing, amendments, the admin's view of
it. (The point search the form uses: test_point_search.py.)"""

import datetime
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from sessions.models import (
    AdverseEvent,
    Amendment,
    SessionPoint,
    SignedSessionError,
    TreatmentSession,
)
from tests.factories import PatientFactory
from tests.session_factories import AmendmentFactory, TreatmentSessionFactory

READ_PAGES = ["detail", "print"]
WRITE_ENDPOINTS = ["sign", "amend"]


def url(name, session, patient=None):
    patient_uuid = (patient or session.patient).uuid
    return reverse(
        f"sessions:{name}", kwargs={"patient_uuid": patient_uuid, "session_uuid": session.uuid}
    )


@pytest.fixture
def draft(patient, practitioner):
    return TreatmentSessionFactory(
        patient=patient,
        practitioner=practitioner,
        pain_before=7,
        pain_after=4,
        pattern_diagnosis="Liver qi stagnation",
        points=[("ST36", "B"), ("LI4", "L"), "GV20"],
    )


@pytest.fixture
def signed(patient, practitioner):
    return TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, signed=True, pain_before=7, points=["ST36"]
    )


# Who may see a note


@pytest.mark.parametrize("page", READ_PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, draft, page):
    response = client.get(url(page, draft))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("endpoint", WRITE_ENDPOINTS)
def test_an_anonymous_post_is_sent_to_log_in(client, signed, endpoint):
    response = client.post(url(endpoint, signed), {"text": "Late entry."})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Amendment.objects.exists()


@pytest.mark.parametrize("page", READ_PAGES)
def test_a_user_without_a_role_cannot_read_a_note(outsider_client, draft, page):
    assert outsider_client.get(url(page, draft)).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_a_user_without_a_role_can_neither_sign_nor_amend(outsider_client, draft, signed):
    assert outsider_client.post(url("sign", draft)).status_code == 403
    assert outsider_client.post(url("amend", signed), {"text": "Late entry."}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not Amendment.objects.exists()


@pytest.mark.parametrize("page", READ_PAGES)
def test_another_practitioner_can_read_a_draft(client, second_practitioner, draft, page):
    client.force_login(second_practitioner)
    response = client.get(url(page, draft))
    assert response.status_code == 200
    text = response.content.decode()
    for fact in ["ST36 Zusanli", "LI4 Hegu · left", "GV20 Baihui · midline", "Liver qi stagnation"]:
        assert fact in text
    assert "7 before → 4 after" in text
    assert "4 needles" in text


def test_the_author_is_offered_edit_and_sign_on_a_draft(practitioner_client, draft):
    page = practitioner_client.get(url("detail", draft)).content.decode()
    assert url("edit", draft) in page
    assert url("sign", draft) in page


def test_another_practitioner_is_not_offered_edit_or_sign(client, second_practitioner, draft):
    client.force_login(second_practitioner)
    page = client.get(url("detail", draft)).content.decode()
    assert url("edit", draft) not in page
    assert url("sign", draft) not in page


def test_a_clinic_admin_can_read_a_note(admin_client_, draft):
    assert admin_client_.get(url("detail", draft)).status_code == 200


def test_reading_a_note_is_audited(practitioner_client, practitioner, patient, draft):
    for page in READ_PAGES:
        practitioner_client.get(url(page, draft), REMOTE_ADDR="10.1.2.3")
    views = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).order_by("id")
    assert [
        (event.user, event.object_type, event.object_id, event.patient_uuid, event.ip_address)
        for event in views
    ] == [(practitioner, "treatment_sessions.treatmentsession", str(draft.pk), patient.uuid,
           "10.1.2.3")] * 2  # fmt: skip


@pytest.mark.parametrize("name", ["detail", "print", "edit", "sign", "amend"])
def test_a_note_under_another_patients_uuid_is_a_404(practitioner_client, draft, name):
    other = PatientFactory()
    response = (
        practitioner_client.get(url(name, draft, patient=other))
        if name in ("detail", "print", "edit")
        else practitioner_client.post(url(name, draft, patient=other), {"text": "x"})
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, patient_uuid=other.uuid)


@pytest.mark.parametrize("name", ["detail", "print", "edit"])
def test_an_unknown_note_is_a_404(practitioner_client, patient, name):
    path = reverse(
        f"sessions:{name}", kwargs={"patient_uuid": patient.uuid, "session_uuid": uuid.uuid4()}
    )
    assert practitioner_client.get(path).status_code == 404


def test_the_print_view_has_the_note_and_its_amendments(practitioner_client, signed):
    AmendmentFactory(session=signed, text="Retention was 25 minutes.")
    response = practitioner_client.get(url("print", signed))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ST36 Zusanli" in page
    assert "Retention was 25 minutes." in page


# Signing


def test_the_author_signs_a_draft(practitioner_client, practitioner, draft):
    response = practitioner_client.post(url("sign", draft))

    assert response.status_code == 302
    assert response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    assert (draft.status, draft.signed_by) == ("signed", practitioner)
    assert timezone.now() - draft.signed_at < datetime.timedelta(minutes=1)
    change = AuditEvent.objects.get(action="change", object_type__endswith="treatmentsession")
    assert (change.user, change.object_id) == (practitioner, str(draft.pk))


def test_the_signed_note_page_names_who_signed(practitioner_client, draft):
    page = practitioner_client.post(url("sign", draft), follow=True).content.decode()
    assert "Session 1 signed." in page
    assert "Signed by Dr Zhao on" in page


def test_another_practitioner_cannot_sign_a_draft(client, second_practitioner, draft):
    client.force_login(second_practitioner)
    response = client.post(url("sign", draft))
    assert response.status_code == 403
    assert "Only the practitioner who wrote this draft" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.signed_by) == ("draft", None)


def test_a_clinic_admin_cannot_sign_a_draft(admin_client_, draft):
    assert admin_client_.post(url("sign", draft)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_signing_is_a_post(practitioner_client, draft):
    assert practitioner_client.get(url("sign", draft)).status_code == 405
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_signing_twice_is_refused(practitioner_client, draft):
    assert practitioner_client.post(url("sign", draft)).status_code == 302
    draft.refresh_from_db()
    first_signed_at = draft.signed_at

    response = practitioner_client.post(url("sign", draft))

    assert response.status_code == 409
    assert "This note is signed and cannot be changed" in response.content.decode()
    draft.refresh_from_db()
    assert draft.signed_at == first_signed_at


def test_a_signed_note_cannot_be_saved(signed):
    signed.pain_before = 1
    with pytest.raises(SignedSessionError):
        signed.save()
    fetched = TreatmentSession.objects.get(pk=signed.pk)
    assert fetched.pain_before == 7
    fetched.pain_before = 1
    with pytest.raises(SignedSessionError):
        fetched.save(update_fields=["pain_before"])
    assert TreatmentSession.objects.get(pk=signed.pk).pain_before == 7


def test_a_signed_note_cannot_be_signed_again_at_the_model_level(signed, second_practitioner):
    with pytest.raises(SignedSessionError):
        signed.sign(by=second_practitioner)
    signed.refresh_from_db()
    assert signed.signed_by == signed.practitioner


def test_a_draft_can_still_be_saved(draft):
    draft.pain_before = 2
    draft.save()
    assert TreatmentSession.objects.get(pk=draft.pk).pain_before == 2


# The admin


def admin_change_url(session):
    return reverse("admin:treatment_sessions_treatmentsession_change", args=[session.pk])


def test_the_admin_shows_a_signed_note_read_only(admin_client_, signed):
    response = admin_client_.get(admin_change_url(signed))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.content.decode()


def test_a_clinic_admin_reads_a_draft_in_the_admin_and_cannot_change_it(admin_client_, draft):
    response = admin_client_.get(admin_change_url(draft))
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.content.decode()


def test_the_admin_offers_a_superuser_to_correct_a_draft(client, draft):
    client.force_login(get_user_model().objects.create_superuser("boss", password="x"))
    response = client.get(admin_change_url(draft))
    assert response.context["has_change_permission"] is True
    assert 'name="_save"' in response.content.decode()
    form = response.context["adminform"].form
    assert not {"patient", "practitioner", "status", "signed_by"} & set(form.fields)


def test_a_post_to_the_admin_does_not_change_a_signed_note(admin_client_, signed):
    before = TreatmentSession.objects.values().get(pk=signed.pk)
    data = {
        "patient": signed.patient.pk,
        "practitioner": signed.practitioner.pk,
        "started_at_0": "2025-03-04",
        "started_at_1": "10:30",
        "session_number": "1",
        "style": "tcm",
        "pain_before": "1",
        "needle_diameter_mm": "0.25",
        "needle_length_mm": "40",
        "retention_minutes": "20",
        "_save": "Save",
    }
    for prefix in ["points", "adverse_events", "amendments"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})

    response = admin_client_.post(admin_change_url(signed), data)

    assert response.status_code == 403
    assert TreatmentSession.objects.values().get(pk=signed.pk) == before


def test_not_even_a_superuser_can_delete_a_signed_note_in_the_admin(admin_client, signed, draft):
    def delete(session):
        path = reverse("admin:treatment_sessions_treatmentsession_delete", args=[session.pk])
        return admin_client.post(path, {"post": "yes"})

    assert delete(signed).status_code == 403
    assert TreatmentSession.objects.filter(pk=signed.pk).exists()
    assert delete(draft).status_code == 302  # a draft may go
    assert not TreatmentSession.objects.filter(pk=draft.pk).exists()


# Amendments


def test_any_practitioner_can_amend_a_signed_note(client, second_practitioner, signed):
    before = TreatmentSession.objects.values().get(pk=signed.pk)
    client.force_login(second_practitioner)

    response = client.post(url("amend", signed), {"text": "  Retention was 25 minutes.  "})

    assert response.status_code == 302
    assert response.url == signed.get_absolute_url()
    amendment = Amendment.objects.get()
    assert (amendment.session, amendment.author) == (signed, second_practitioner)
    assert amendment.text == "Retention was 25 minutes."
    assert TreatmentSession.objects.values().get(pk=signed.pk) == before
    created = AuditEvent.objects.get(action="create", object_type="treatment_sessions.amendment")
    assert (created.user, created.patient_uuid) == (second_practitioner, signed.patient.uuid)


def test_the_amendment_shows_under_the_original(practitioner_client, signed, second_practitioner):
    AmendmentFactory(session=signed, author=second_practitioner, text="First correction.")
    AmendmentFactory(session=signed, text="Second correction.")
    page = practitioner_client.get(url("detail", signed)).content.decode()

    original = page.index("ST36 Zusanli")
    first, second = page.index("First correction."), page.index("Second correction.")
    assert original < page.index("Amendments") < first < second
    assert "Dr Okafor" in page[first:second]


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_empty_amendment_is_refused(practitioner_client, signed, text):
    response = practitioner_client.post(url("amend", signed), {"text": text})

    assert response.status_code == 400
    errors = response.context["amendment_form"].errors["text"]
    assert errors
    assert errors[0] in response.content.decode()
    assert not Amendment.objects.exists()


def test_a_draft_cannot_be_amended(practitioner_client, draft):
    response = practitioner_client.post(url("amend", draft), {"text": "Late entry."})
    assert response.status_code == 409
    assert "A draft is edited, not amended." in response.content.decode()
    assert not Amendment.objects.exists()


def test_a_clinic_admin_can_amend_a_signed_note(admin_client_, clinic_admin, signed):
    # Clinic admins hold add_amendment (clinic/roles.py): a correction of, say, a date.
    assert admin_client_.post(url("amend", signed), {"text": "Date corrected."}).status_code == 302
    assert Amendment.objects.get().author == clinic_admin


def test_the_amendment_form_shows_only_on_a_signed_note(practitioner_client, draft, signed):
    assert url("amend", signed) in practitioner_client.get(url("detail", signed)).content.decode()
    assert url("amend", draft) not in practitioner_client.get(url("detail", draft)).content.decode()


def test_the_points_and_adverse_events_of_a_signed_note_are_locked_with_it(practitioner, patient):
    session = TreatmentSessionFactory(patient=patient, practitioner=practitioner, points=["ST36"])
    session.sign(by=practitioner)
    row = SessionPoint.objects.get(session=session)
    with pytest.raises(SignedSessionError):
        row.delete()
    with pytest.raises(SignedSessionError):
        AdverseEvent(session=session, category="bleeding", severity="mild").save()
    assert SessionPoint.objects.filter(session=session).count() == 1
