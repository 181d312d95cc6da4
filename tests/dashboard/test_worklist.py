"""The worklist: a practitioner's unsigned notes, intakes to review (urgent first), phase
suggestions, quiet patients and the last week's adverse events, each a link to its page;
the clinic's for a clinic admin; audited; a fixed number of queries."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from patients.models import PatientSummary, PhaseSuggestion
from tests.factories import PatientFactory, StartedCourseFactory, SubmittedIntakeFactory
from tests.html import html, text
from tests.progress_helpers import days_ago
from tests.session_factories import AdverseEventFactory, SessionOnDateFactory

pytestmark = pytest.mark.django_db

URL = reverse("worklist")


def section(response, name):
    """The text of the worklist's section `name`."""
    return text(html(response).split(f'id="worklist-{name}"')[1].split("</section>")[0])


@pytest.fixture
def work(practitioner, second_practitioner):
    """Ada (Lin's): a draft of 3 days ago, an adverse event on it, a suggestion; Bo (Lin's):
    a signed note, no reading for 20 days; Cy (Sam's): a draft and an event; Di and Ed:
    intakes sent, Ed's urgent; Fay (Lin's): an event 10 days ago."""
    lin, sam = practitioner, second_practitioner
    ada, bo, fay = (
        PatientFactory(given_name=name, family_name="Lin", practitioner=lin)
        for name in ("Ada", "Bo", "Fay")
    )
    cy = PatientFactory(given_name="Cy", family_name="Sam", practitioner=sam)
    for patient, on in ((ada, 3), (bo, 20), (cy, 3), (fay, 10)):
        StartedCourseFactory(patient=patient, accepted_by=lin, on=days_ago(on + 1))
    draft = SessionOnDateFactory(patient=ada, practitioner=lin, on=days_ago(3))
    AdverseEventFactory(session=draft)
    signed = SessionOnDateFactory(patient=bo, practitioner=lin, on=days_ago(20))
    signed.sign(by=lin)
    AdverseEventFactory(session=SessionOnDateFactory(patient=cy, practitioner=sam, on=days_ago(3)))
    AdverseEventFactory(
        session=SessionOnDateFactory(patient=fay, practitioner=lin, on=days_ago(10))
    )
    PhaseSuggestion.objects.create(
        patient=ada, kind="phase_2", to_phase=2, reason="Pain 50 % lower.",
        evidence=[], evidence_through=days_ago(1),
    )  # fmt: skip
    SubmittedIntakeFactory(patient__given_name="Di", patient__practitioner=lin)
    SubmittedIntakeFactory(
        patient__given_name="Ed", patient__practitioner=lin, red_flags={"saddle": "yes"}
    )
    for patient in (ada, bo, cy, fay):
        PatientSummary.objects.refresh(patient)
    return {"ada": ada, "bo": bo, "cy": cy, "fay": fay, "draft": draft}


def test_a_practitioner_sees_what_waits_for_them(practitioner_client, work):
    response = practitioner_client.get(URL)
    assert response.status_code == 200
    assert section(response, "drafts").endswith(f"Ada Lin, {days_ago(3):%-d %b %Y} Draft")
    assert "Cy" not in section(response, "drafts")
    intakes = section(response, "intakes")
    assert intakes.index("Ed") < intakes.index("Di")  # urgent first
    assert "Same-day referral" in intakes
    assert "Ada Lin: Pain 50 % lower." in section(response, "suggestions")
    quiet = section(response, "quiet")
    assert "Bo Lin" in quiet and "Ada" not in quiet
    events = section(response, "events")
    assert "Ada Lin" in events and "Cy" not in events and "Fay" not in events  # 10 days ago


def test_each_item_links_to_its_page(practitioner_client, work):
    page = html(practitioner_client.get(URL))
    ada, draft = work["ada"], work["draft"]
    edit = reverse("sessions:edit", kwargs={"patient_uuid": ada.uuid, "session_uuid": draft.uuid})
    assert f'href="{edit}"' in page
    assert f'href="{draft.get_absolute_url()}"' in page  # the adverse event's note
    assert f'href="{work["bo"].get_absolute_url()}"' in page


def test_a_clinic_admin_sees_the_clinics(client, clinic_admin, work):
    client.force_login(clinic_admin)
    response = client.get(URL)
    assert "The clinic's worklist" in text(html(response))
    assert "Cy Sam" in section(response, "drafts") and "Cy Sam" in section(response, "events")


def test_it_is_audited_one_event_a_patient_shown(practitioner_client, work):
    practitioner_client.get(URL)
    shown = AuditEvent.objects.filter(action="list", detail="worklist")
    assert {event.patient_uuid for event in shown} >= {work["ada"].uuid, work["bo"].uuid}
    assert work["cy"].uuid not in {event.patient_uuid for event in shown}


def test_an_empty_worklist_says_so(practitioner_client):
    page = text(html(practitioner_client.get(URL)))
    assert "None: every note is signed." in page
    assert "None: everyone has a reading in the last 14 days." in page


def test_it_needs_a_login(client):
    assert client.get(URL).status_code == 302


def test_it_needs_a_role(outsider_client):
    assert outsider_client.get(URL).status_code == 403


@pytest.mark.parametrize("extra", [0, 12])
def test_its_query_count_does_not_grow(
    practitioner_client, practitioner, work, django_assert_num_queries, extra
):
    for _ in range(extra):
        patient = PatientFactory(practitioner=practitioner)
        StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(30))
        AdverseEventFactory(
            session=SessionOnDateFactory(patient=patient, practitioner=practitioner, on=days_ago(2))
        )
    # 1 session, 2 user, 3 permissions, 4 the profile, 5-9 the five lists, 10 the audit.
    with django_assert_num_queries(10):
        response = practitioner_client.get(URL)
    assert ("More than 10" in section(response, "drafts")) == bool(extra)
