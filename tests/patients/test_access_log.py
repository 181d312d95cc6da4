"""Who has seen this record: a clinic admin reads the patient's access log (a view by
another user in it, newest first, paginated); practitioners are refused; opening it is
audited."""

import pytest
from django.urls import reverse

from audit import trail
from audit.models import AuditEvent
from tests.html import html, table_rows

pytestmark = pytest.mark.django_db


def log_url(patient, **query):
    url = reverse("patients:access_log", kwargs={"patient_uuid": patient.uuid})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_a_clinic_admin_sees_a_view_by_another_user(
    client, clinic_admin, practitioner_client, patient
):
    practitioner_client.get(patient.get_absolute_url())
    client.force_login(clinic_admin)
    response = client.get(log_url(patient))
    assert response.status_code == 200
    who_what = [(row[1], row[2]) for row in table_rows(response, "access-log")]
    assert who_what[:2] == [(clinic_admin.username, "Viewed patient"), ("lin", "Viewed patient")]


def test_the_patient_page_links_to_it_for_clinic_admins_only(
    client, clinic_admin, practitioner_client, patient
):
    assert "Who has seen this record" not in html(
        practitioner_client.get(patient.get_absolute_url())
    )
    client.force_login(clinic_admin)
    assert "Who has seen this record" in html(client.get(patient.get_absolute_url()))


def test_a_practitioner_is_refused(practitioner_client, patient):
    assert practitioner_client.get(log_url(patient)).status_code == 403


def test_opening_it_is_audited(client, clinic_admin, patient):
    client.force_login(clinic_admin)
    client.get(log_url(patient))
    assert AuditEvent.objects.filter(
        patient_uuid=patient.uuid, actor=clinic_admin.username, action="view"
    ).exists()


def test_it_is_paginated(client, clinic_admin, patient):
    for _ in range(30):
        trail.record(AuditEvent.Action.VIEW, patient, actor="someone")
    client.force_login(clinic_admin)
    first = client.get(log_url(patient))
    assert len(table_rows(first, "access-log")) == 25 and "Older" in html(first)
    # Its creation, the 30 views, and this page opened twice: 33 events, 8 on page 2.
    assert len(table_rows(client.get(log_url(patient, page=2)), "access-log")) == 8


def test_an_anonymous_visitor_is_sent_to_log_in(client, patient):
    response = client.get(log_url(patient))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_an_unknown_patient_or_page_is_no_error(client, clinic_admin, patient):
    client.force_login(clinic_admin)
    missing = reverse(
        "patients:access_log", kwargs={"patient_uuid": "00000000-0000-0000-0000-000000000000"}
    )
    assert client.get(missing).status_code == 404
    assert client.get(log_url(patient, page="not-a-page")).status_code == 200
