"""The thank-you page after a check-in: the patient's own average pain (a chart and its
table), their phase in their words, the next due date, and no form to send again; only
for the holder of a working check-in link."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from audit.models import AuditEvent
from patients.models import CheckIn, Patient, PatientLink
from tests.factories import CheckInFactory, PatientFactory, StartedCourseFactory
from tests.intake_helpers import PATIENT_ACTOR, checkin_thanks_url, checkin_url
from tests.link_helpers import make_expired
from tests.progress_helpers import day, days_ago, today

CHECKIN = PatientLink.Purpose.CHECKIN
ANSWERS = {
    "pain_now": "4",
    "pain_average": "3",
    "pain_worst": "6",
    "enjoyment": "4",
    "activity": "5",
    "confidence": "6",
    "active_minutes": "120",
}


@pytest.fixture
def token(patient, practitioner):
    """Ana, in phase 1 since her intake three weeks ago, holding her check-in link."""
    StartedCourseFactory(patient=patient, accepted_by=practitioner, on=days_ago(21))
    return PatientLink.issue(patient, CHECKIN)[1]


@pytest.fixture
def other(db):
    """Otto, another patient, whose check-ins must never show on Ana's page."""
    otto = PatientFactory(given_name="Otto", family_name="Other")
    CheckInFactory(patient=otto, taken_on=days_ago(2), pain_average=9)
    return otto


def rows(page):
    """The table's (date, average pain) rows."""
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td></tr>", body)


def test_a_checkin_goes_to_the_thank_you_page_without_the_form(client, patient, token):
    response = client.post(checkin_url(token), ANSWERS, follow=True)
    assert response.redirect_chain == [(checkin_thanks_url(token), 302)]
    page = response.content.decode()
    assert "Thank you" in page and "Your check-in is saved." in page
    assert "<form" not in page
    assert 'name="pain_average"' not in page
    assert CheckIn.objects.get(patient=patient).pain_average == 3


def test_it_shows_the_patients_own_average_pain_and_no_one_elses(client, patient, token, other):
    CheckInFactory(patient=patient, taken_on=days_ago(14), pain_average=7)
    CheckInFactory(patient=patient, taken_on=days_ago(7), pain_average=5)
    client.post(checkin_url(token), ANSWERS)
    page = client.get(checkin_thanks_url(token)).content.decode()
    assert rows(page) == [(day(today()), "3"), (day(days_ago(7)), "5"), (day(days_ago(14)), "7")]
    assert page.count("<circle") == 3  # one point a check-in on the chart
    assert day(days_ago(2)) not in page  # Otto's check-in
    assert "Otto" not in page and "Ana" not in page  # not even her own name


def test_it_says_the_phase_in_the_patients_words(client, token):
    page = client.get(checkin_thanks_url(token)).content.decode()
    assert "Phase 1 of 3: calming things down" in page


def test_the_next_checkin_is_due_one_cadence_after_the_last(client, patient, token):
    client.post(checkin_url(token), ANSWERS)
    page = client.get(checkin_thanks_url(token)).content.decode()
    assert f"Your next check-in is due on <strong>{day(today() + datetime.timedelta(7))}" in page
    Patient.objects.filter(pk=patient.pk).update(checkin_cadence=Patient.Cadence.FORTNIGHTLY)
    page = client.get(checkin_thanks_url(token)).content.decode()
    assert f"due on <strong>{day(today() + datetime.timedelta(14))}" in page


def test_opened_long_after_the_last_checkin_it_says_one_is_due_now(client, patient, token):
    CheckInFactory(patient=patient, taken_on=days_ago(10))
    page = client.get(checkin_thanks_url(token)).content.decode()
    assert f"Your next check-in is due now (it was due on {day(days_ago(3))})" in page


def test_with_no_cadence_it_gives_no_date(client, patient, token):
    Patient.objects.filter(pk=patient.pk).update(checkin_cadence=Patient.Cadence.NONE)
    client.post(checkin_url(token), ANSWERS)
    page = client.get(checkin_thanks_url(token)).content.decode()
    assert "There is no set date for your next check-in" in page
    assert "due on" not in page


def test_it_says_the_same_link_works_next_time_and_until_when(client, patient, token):
    link = PatientLink.objects.get(patient=patient, purpose=CHECKIN)
    page = client.get(checkin_thanks_url(token)).content.decode()
    assert "You can use the same link next time." in page
    assert f"It works until {day(timezone.localtime(link.expires_at).date())}" in page


def test_opening_it_is_audited_as_the_patient_and_it_is_not_cached(client, patient, token):
    response = client.get(checkin_thanks_url(token))
    event = AuditEvent.objects.latest("id")
    assert (event.actor, event.user, event.action) == (PATIENT_ACTOR, None, "view")
    assert (event.patient_uuid, event.detail) == (patient.uuid, "check-in thanks page")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("spoil", ["wrong", "expired", "revoked", "discharged", "intake link"])
def test_only_a_working_checkin_link_opens_it(client, patient, token, spoil):
    link = PatientLink.objects.get(patient=patient, purpose=CHECKIN)
    if spoil == "wrong":
        token = "x" * 43
    elif spoil == "expired":
        make_expired(link)
    elif spoil == "revoked":
        link.revoke()
    elif spoil == "discharged":
        Patient.objects.filter(pk=patient.pk).update(status=Patient.Status.DISCHARGED)
    else:
        token = PatientLink.issue(patient, PatientLink.Purpose.INTAKE)[1]
    response = client.get(checkin_thanks_url(token))
    assert response.status_code == 404
    assert "Thank you" not in response.content.decode()


def test_the_link_rate_limit_applies(client, token, settings):
    settings.LINK_RATE_LIMIT_PER_MINUTE = 2
    cache.clear()
    statuses = [client.get(checkin_thanks_url(token)).status_code for _ in range(3)]
    cache.clear()
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize("earlier", [1, 11])
def test_its_query_count_is_pinned(client, patient, token, earlier, django_assert_num_queries):
    for n in range(earlier):
        CheckInFactory(patient=patient, taken_on=days_ago(7 * (n + 1)), pain_average=5)
    # the link with its patient, the audit insert, the check-ins, the patient's summary
    with django_assert_num_queries(4):
        response = client.get(checkin_thanks_url(token))
    assert len(rows(response.content.decode())) == earlier
