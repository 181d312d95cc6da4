"""The admin's view of treatment notes: clinic admins read them, a superuser corrects a
draft (not its practitioner), nobody changes or deletes a signed note or restores one from
history."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from sessions.models import SECOND_FREQUENCY_ONLY_DENSE_DISPERSE, TreatmentSession
from tests.session_factories import TreatmentSessionFactory


@pytest.fixture
def superuser_client(db, client):
    client.force_login(get_user_model().objects.create_superuser("boss", password="x"))
    return client


def change_url(session):
    return reverse("admin:treatment_sessions_treatmentsession_change", args=[session.pk])


def history_version_url(session, version):
    return reverse(
        "admin:treatment_sessions_treatmentsession_simple_history",
        args=[session.pk, version.history_id],
    )


def admin_post(session, **fields):
    data = {
        "started_at_0": "2025-03-04", "started_at_1": "10:30", "style": "tcm",
        "pain_before": "1", "needle_diameter_mm": "0.25", "needle_length_mm": "40",
        "retention_minutes": "20", "subjective": "Changed in the admin", "_save": "Save",
    }  # fmt: skip
    for prefix in ["points", "adverse_events", "acknowledgements", "amendments"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return {**data, **fields}


def test_a_clinic_admin_cannot_change_a_draft_in_the_admin(
    admin_client_, typed_draft, clinic_admin
):
    response = admin_client_.post(
        change_url(typed_draft), admin_post(typed_draft, practitioner=clinic_admin.pk)
    )
    assert response.status_code == 403
    stored = TreatmentSession.objects.get(pk=typed_draft.pk)
    assert (stored.subjective, stored.practitioner) == ("As typed", typed_draft.practitioner)


def test_a_superuser_corrects_a_draft_but_not_its_practitioner(superuser_client, typed_draft):
    boss = get_user_model().objects.get(username="boss")
    response = superuser_client.post(
        change_url(typed_draft), admin_post(typed_draft, practitioner=boss.pk)
    )
    assert response.status_code == 302
    stored = TreatmentSession.objects.get(pk=typed_draft.pk)
    assert (stored.subjective, stored.practitioner) == (
        "Changed in the admin",
        typed_draft.practitioner,
    )


@pytest.mark.parametrize("who", ["clinic admin", "superuser"])
def test_the_history_revert_does_not_unsign_a_note(client, clinic_admin, practitioner, who):
    user = (
        clinic_admin
        if who == "clinic admin"
        else get_user_model().objects.create_superuser("boss", password="x")
    )
    client.force_login(user)
    session = TreatmentSessionFactory(practitioner=practitioner, subjective="First draft")
    TreatmentSession.objects.get(pk=session.pk).sign(by=practitioner)
    draft_version = session.history.filter(status="draft").earliest("history_date")
    page = client.get(history_version_url(session, draft_version))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = client.post(history_version_url(session, draft_version), admin_post(session))
    assert response.status_code == 403
    assert TreatmentSession.objects.get(pk=session.pk).is_signed


def test_the_admin_offers_no_new_note(superuser_client):
    add = reverse("admin:treatment_sessions_treatmentsession_add")
    assert superuser_client.get(add).status_code == 403


# Ana's draft with three points and her signed note (tests/sessions/conftest.py)


def test_the_admin_shows_a_signed_note_read_only(admin_client_, signed):
    response = admin_client_.get(change_url(signed))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.content.decode()


def test_a_clinic_admin_reads_a_draft_in_the_admin_and_cannot_change_it(admin_client_, draft):
    response = admin_client_.get(change_url(draft))
    assert response.context["has_change_permission"] is False
    assert 'name="_save"' not in response.content.decode()


def test_the_admin_offers_a_superuser_to_correct_a_draft(client, draft):
    client.force_login(get_user_model().objects.create_superuser("boss", password="x"))
    response = client.get(change_url(draft))
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
    for prefix in ["points", "adverse_events", "acknowledgements", "amendments"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})

    response = admin_client_.post(change_url(signed), data)

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


def test_a_superusers_second_frequency_without_dense_disperse_is_refused_not_a_500(
    superuser_client, typed_draft
):
    data = admin_post(
        typed_draft, electrical="on", electro_frequency_hz="2", electro_frequency_2_hz="100",
        electro_waveform="continuous",
    )  # fmt: skip
    response = superuser_client.post(change_url(typed_draft), data)
    assert response.status_code == 200
    assert SECOND_FREQUENCY_ONLY_DENSE_DISPERSE in response.content.decode()
    assert TreatmentSession.objects.get(pk=typed_draft.pk).electro_frequency_2_hz is None
