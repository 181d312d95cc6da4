"""The dashboard: patient counts by status, each linking to the filtered list."""

import pytest
from django.urls import resolve, reverse

from dashboard import views
from patients.models import Patient
from tests.factories import PatientFactory
from tests.html import status_card

STATUSES = {"active": 3, "invited": 1, "discharged": 2, "archived": 1}


def make_patients(statuses):
    for status, count in statuses.items():
        PatientFactory.create_batch(count, status=status)


def test_it_is_home_at_the_root_of_the_site():
    assert reverse("home") == "/"
    assert resolve("/").func is views.home


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/"


def test_a_user_without_a_role_is_refused(outsider_client):
    assert outsider_client.get("/").status_code == 403


def test_a_practitioner_sees_each_status_count_linking_to_its_list(practitioner_client):
    make_patients(STATUSES)
    page = practitioner_client.get("/").content.decode()
    for status in Patient.Status:
        assert status_card(page, status.value) == f"{STATUSES.get(status.value, 0)} {status.label}"
    assert "All 6 current patients" in page  # the list it links to hides the archived one


@pytest.mark.parametrize("size", [1, 20])
def test_its_query_count_does_not_grow_with_the_register(
    practitioner_client, django_assert_num_queries, size
):
    make_patients({"active": size, "discharged": size})
    # 1 session, 2 user, 3 permissions, 4 the practitioner's profile (for the "my patients"
    # switch), 5 one aggregate over patients and their summaries (by status, by phase, quiet,
    # responders, sessions and adverse events), 6 intakes waiting and unreviewed red flags,
    # 7 the sessions before phases 2 and 3, 8 open suggestions, 9 the time to each phase,
    # 10 the phase flow, 11 the outcome curves.
    with django_assert_num_queries(11):
        practitioner_client.get("/")
