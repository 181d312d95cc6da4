"""Signing a draft note: only its author, only by a post, only once; a signed note cannot be
saved or signed again, even past the page."""

import datetime

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from sessions.models import SignedSessionError, TreatmentSession
from tests.session_helpers import note_url

# Signing


def test_the_author_signs_a_draft(practitioner_client, practitioner, draft):
    response = practitioner_client.post(note_url("sign", draft))

    assert response.status_code == 302
    assert response.url == draft.get_absolute_url()
    draft.refresh_from_db()
    assert (draft.status, draft.signed_by) == ("signed", practitioner)
    assert timezone.now() - draft.signed_at < datetime.timedelta(minutes=1)
    change = AuditEvent.objects.get(action="change", object_type__endswith="treatmentsession")
    assert (change.user, change.object_id) == (practitioner, str(draft.pk))


def test_the_signed_note_page_names_who_signed(practitioner_client, draft):
    page = practitioner_client.post(note_url("sign", draft), follow=True).content.decode()
    assert "Session 1 signed." in page
    assert "Signed by Dr Zhao on" in page


def test_another_practitioner_cannot_sign_a_draft(client, second_practitioner, draft):
    client.force_login(second_practitioner)
    response = client.post(note_url("sign", draft))
    assert response.status_code == 403
    assert "Only the practitioner who wrote this draft" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.signed_by) == ("draft", None)


def test_a_clinic_admin_cannot_sign_a_draft(admin_client_, draft):
    assert admin_client_.post(note_url("sign", draft)).status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_sign_review_is_shown_by_a_get_that_signs_nothing(practitioner_client, draft):
    response = practitioner_client.get(note_url("sign", draft))
    assert response.status_code == 200
    assert "Sign the note" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_signing_twice_is_refused(practitioner_client, draft):
    assert practitioner_client.post(note_url("sign", draft)).status_code == 302
    draft.refresh_from_db()
    first_signed_at = draft.signed_at

    response = practitioner_client.post(note_url("sign", draft))

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
