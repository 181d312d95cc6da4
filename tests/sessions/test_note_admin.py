"""The admin's view of treatment notes: clinic admins read them, a superuser corrects a
draft (not its practitioner), nobody changes a signed note or restores one from history."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from sessions.models import TreatmentSession
from tests.session_factories import TreatmentSessionFactory


@pytest.fixture
def draft(patient, practitioner):
    return TreatmentSessionFactory(
        patient=patient, practitioner=practitioner, subjective="As typed"
    )


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
    for prefix in ["points", "adverse_events", "amendments"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return {**data, **fields}


def test_a_clinic_admin_cannot_change_a_draft_in_the_admin(admin_client_, draft, clinic_admin):
    response = admin_client_.post(
        change_url(draft), admin_post(draft, practitioner=clinic_admin.pk)
    )
    assert response.status_code == 403
    stored = TreatmentSession.objects.get(pk=draft.pk)
    assert (stored.subjective, stored.practitioner) == ("As typed", draft.practitioner)


def test_a_superuser_corrects_a_draft_but_not_its_practitioner(superuser_client, draft):
    boss = get_user_model().objects.get(username="boss")
    response = superuser_client.post(change_url(draft), admin_post(draft, practitioner=boss.pk))
    assert response.status_code == 302
    stored = TreatmentSession.objects.get(pk=draft.pk)
    assert (stored.subjective, stored.practitioner) == ("Changed in the admin", draft.practitioner)


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
