"""The patient list's columns: the phase as three steps, the last visit, the latest average
pain with a sparkline of the last readings (in words too); the order by last visit; and,
in a real Chromium, the search as you type with no serious axe findings."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from patients.models import PatientSummary, PhaseChange
from tests.browser_helpers import log_in, serious_violations
from tests.factories import PASSWORD, CheckInFactory, PatientFactory, StartedCourseFactory
from tests.html import html, table_rows
from tests.progress_helpers import days_ago
from tests.session_factories import SessionOnDateFactory

URL = reverse("patients:list")


@pytest.fixture
def listed(practitioner):
    """Ada: phase 2, last visit 3 days ago, pain 8 at intake, then 6 and 4. Bo: phase 1,
    last visit 10 days ago. Cy: invited, nothing yet."""
    ada = PatientFactory(given_name="Ada", family_name="Abbot", practitioner=practitioner)
    bo = PatientFactory(given_name="Bo", family_name="Bell", practitioner=practitioner)
    cy = PatientFactory(given_name="Cy", family_name="Cole", status="invited")
    for patient in (ada, bo):
        StartedCourseFactory(
            patient=patient, accepted_by=practitioner, on=days_ago(30), baseline__pain_average=8
        )
    CheckInFactory(patient=ada, taken_on=days_ago(14), pain_average=6)
    CheckInFactory(patient=ada, taken_on=days_ago(7), pain_average=4)
    PhaseChange.objects.create(
        patient=ada, phase=2, started_on=days_ago(7), changed_by=practitioner
    )
    PatientSummary.objects.refresh(ada)
    SessionOnDateFactory(patient=ada, practitioner=practitioner, on=days_ago(3))
    SessionOnDateFactory(patient=bo, practitioner=practitioner, on=days_ago(10))
    return {"ada": ada, "bo": bo, "cy": cy}


@pytest.mark.django_db
def test_each_row_shows_the_phase_the_last_visit_and_the_pain(practitioner_client, listed):
    response = practitioner_client.get(URL)
    rows = {row[0].split()[0]: row for row in table_rows(response, "patients-table")}
    assert rows["Abbot,"][2] == f"{days_ago(3):%-d %b %Y}"
    assert rows["Abbot,"][3] == "4"
    assert rows["Cole,"][2:4] == ["–", "–"]
    page = html(response)
    assert 'aria-label="Phase 2 of 3"' in page and 'aria-label="No phase yet"' in page
    assert 'aria-label="Average pain, oldest to latest: 8, 6, 4"' in page


@pytest.mark.django_db
def test_the_list_orders_by_last_visit(practitioner_client, listed):
    newest = practitioner_client.get(URL, {"sort": "-last_visit"}).context["page"].object_list
    assert list(newest)[:2] == [listed["ada"], listed["bo"]]
    oldest = practitioner_client.get(URL, {"sort": "last_visit"}).context["page"].object_list
    assert list(oldest)[0] == listed["cy"]  # never seen first
    assert practitioner_client.get(URL, {"sort": "nonsense"}).status_code == 400


@pytest.mark.django_db
def test_the_headers_link_to_the_orders_and_keep_the_search(practitioner_client, listed):
    page = html(practitioner_client.get(URL, {"q": "a", "status": "active"}))
    assert 'href="?q=a&amp;status=active&amp;sort=-last_visit">Last visit' in page


@pytest.mark.browser
@pytest.mark.usefixtures("browser_db")
def test_the_search_answers_as_you_type(live_server, page, practitioner, listed, console_errors):
    page.set_viewport_size({"width": 1024, "height": 768})
    log_in(page, live_server.url, practitioner.username, PASSWORD)
    page.goto(f"{live_server.url}{URL}")
    assert serious_violations(page) == []
    page.get_by_label("Search").press_sequentially("bel")
    expect(page.locator("#result-count")).to_contain_text("1 patient matching “bel”")
    expect(page.get_by_role("link", name="Bell, Bo")).to_be_visible()
    expect(page).to_have_url(f"{live_server.url}{URL}?q=bel&status=&practitioner=&phase=&need=")
    assert console_errors == []
