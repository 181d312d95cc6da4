"""A saved treatment note's page and print view: who may read it, what each person is
offered, the audit of each read. (Signing: test_signing_a_note.py; amendments:
test_amending_a_note.py; the admin: test_note_admin.py; the point search the form uses:
test_point_search.py.)"""

import uuid

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from sessions.models import Amendment
from tests.factories import PatientFactory
from tests.session_factories import AmendmentFactory
from tests.session_helpers import note_url

READ_PAGES = ["detail", "print"]
WRITE_ENDPOINTS = ["sign", "amend"]


# Who may see a note


@pytest.mark.parametrize("page", READ_PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, draft, page):
    response = client.get(note_url(page, draft))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("endpoint", WRITE_ENDPOINTS)
def test_an_anonymous_post_is_sent_to_log_in(client, signed, endpoint):
    response = client.post(note_url(endpoint, signed), {"text": "Late entry."})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Amendment.objects.exists()


@pytest.mark.parametrize("page", READ_PAGES)
def test_a_user_without_a_role_cannot_read_a_note(outsider_client, draft, page):
    assert outsider_client.get(note_url(page, draft)).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_a_user_without_a_role_can_neither_sign_nor_amend(outsider_client, draft, signed):
    assert outsider_client.post(note_url("sign", draft)).status_code == 403
    assert (
        outsider_client.post(note_url("amend", signed), {"text": "Late entry."}).status_code == 403
    )
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not Amendment.objects.exists()


@pytest.mark.parametrize("page", READ_PAGES)
def test_another_practitioner_can_read_a_draft(client, second_practitioner, draft, page):
    client.force_login(second_practitioner)
    response = client.get(note_url(page, draft))
    assert response.status_code == 200
    text = response.content.decode()
    for fact in ["ST36 Zusanli", "LI4 Hegu · left", "GV20 Baihui · midline", "Liver qi stagnation"]:
        assert fact in text
    assert "7 before → 4 after" in text
    assert "4 needles" in text


def test_the_author_is_offered_edit_and_sign_on_a_draft(practitioner_client, draft):
    page = practitioner_client.get(note_url("detail", draft)).content.decode()
    assert note_url("edit", draft) in page
    assert note_url("sign", draft) in page


def test_another_practitioner_is_not_offered_edit_or_sign(client, second_practitioner, draft):
    client.force_login(second_practitioner)
    page = client.get(note_url("detail", draft)).content.decode()
    assert note_url("edit", draft) not in page
    assert note_url("sign", draft) not in page


def test_a_clinic_admin_can_read_a_note(admin_client_, draft):
    assert admin_client_.get(note_url("detail", draft)).status_code == 200


def test_reading_a_note_is_audited(practitioner_client, practitioner, patient, draft):
    for page in READ_PAGES:
        practitioner_client.get(note_url(page, draft), REMOTE_ADDR="10.1.2.3")
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
        practitioner_client.get(note_url(name, draft, patient=other))
        if name in ("detail", "print", "edit")
        else practitioner_client.post(note_url(name, draft, patient=other), {"text": "x"})
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
    response = practitioner_client.get(note_url("print", signed))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ST36 Zusanli" in page
    assert "Retention was 25 minutes." in page
