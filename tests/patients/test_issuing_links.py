"""Links sent to patients: a token is long, random and stored only as its hash; a link lasts
its purpose's days and can be revoked; and every link that does not work shows one page,
whatever the reason. (Sending them: test_sending_links.py; their rate limit:
test_link_rate_limit.py; the logs: test_link_tokens_in_logs.py.)"""

import datetime
import hashlib
import re
import secrets

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from patients.models import PatientLink
from tests.intake_helpers import checkin_url, review_url, start_url, step_url, submit_url
from tests.link_helpers import make_closed, make_expired, tables_containing

INTAKE = PatientLink.Purpose.INTAKE
CHECKIN = PatientLink.Purpose.CHECKIN
URL_SAFE = re.compile(r"[A-Za-z0-9_\-]+")


# Issuing and finding a link


def test_a_token_is_at_least_43_url_safe_characters_and_never_repeats(patient):
    tokens = [PatientLink.issue(patient, INTAKE)[1] for _ in range(5)]
    for token in tokens:
        assert len(token) >= 43  # 32 random bytes: 256 bits
        assert URL_SAFE.fullmatch(token)
    assert len(set(tokens)) == 5


def test_only_the_sha256_of_the_token_is_stored(patient):
    link, token = PatientLink.issue(patient, INTAKE)
    link.refresh_from_db()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert tables_containing(link.token_hash) == ["patients_patientlink"]
    assert tables_containing(token) == []


def test_an_intake_link_lasts_the_intake_days_and_a_checkin_link_the_checkin_days(patient):
    before = timezone.now()
    intake, _ = PatientLink.issue(patient, INTAKE)
    checkin, _ = PatientLink.issue(patient, CHECKIN)
    after = timezone.now()
    intake_days = datetime.timedelta(days=django_settings.INTAKE_LINK_DAYS)
    checkin_days = datetime.timedelta(days=django_settings.CHECKIN_LINK_DAYS)
    assert before + intake_days <= intake.expires_at <= after + intake_days
    assert before + checkin_days <= checkin.expires_at <= after + checkin_days
    assert (intake.state, checkin.state) == ("active", "active")


def test_find_gives_the_usable_link_for_its_token_and_purpose(patient):
    link, token = PatientLink.issue(patient, INTAKE)
    assert PatientLink.objects.find(token, INTAKE) == link


def dead_intake_token(case, patient):
    """A token that must not open an intake, for each reason a link may not work."""
    link, token = PatientLink.issue(patient, INTAKE)
    if case == "wrong token":
        return secrets.token_urlsafe(32)
    if case == "expired":
        make_expired(link)
    elif case == "revoked":
        link.revoke()
    elif case == "closed":
        make_closed(link)
    elif case == "wrong purpose":
        return PatientLink.issue(patient, CHECKIN)[1]
    elif case == "200 characters":
        return token + "a" * (200 - len(token))
    return token


DEAD = ["wrong token", "expired", "revoked", "closed", "wrong purpose", "200 characters"]


@pytest.mark.parametrize("case", DEAD)
def test_find_gives_nothing_for_a_link_that_does_not_work(patient, case):
    token = dead_intake_token(case, patient)
    assert PatientLink.objects.find(token, INTAKE) is None


@pytest.mark.parametrize("token", ["", None])
def test_find_gives_nothing_for_no_token(patient, token):
    PatientLink.issue(patient, INTAKE)
    assert PatientLink.objects.find(token, INTAKE) is None


def test_the_state_of_a_link_says_why_it_no_longer_works(patient):
    links = {case: PatientLink.issue(patient, INTAKE)[0] for case in ["expired", "rev", "used"]}
    make_expired(links["expired"])
    links["rev"].revoke()
    make_closed(links["used"])
    states = {case: PatientLink.objects.get(pk=link.pk).state for case, link in links.items()}
    assert states == {"expired": "expired", "rev": "revoked", "used": "used"}


def test_revoking_twice_keeps_the_first_time(patient):
    link, _ = PatientLink.issue(patient, INTAKE)
    link.revoke()
    first = PatientLink.objects.get(pk=link.pk).revoked_at
    link.revoke()
    assert PatientLink.objects.get(pk=link.pk).revoked_at == first


# A link that does not work: one page, whatever the reason


def intake_pages(client, token):
    return [
        client.get(start_url(token)),
        client.get(step_url(token, "about")),
        client.post(step_url(token, "about"), {"given_name": "Eve"}),
        client.get(review_url(token)),
        client.post(submit_url(token)),
    ]


def test_every_dead_intake_link_shows_the_same_not_working_page(client, patient):
    reference = client.get(start_url(secrets.token_urlsafe(32)))
    assert reference.status_code == 404
    assert "This link does not work" in reference.content.decode()
    for case in DEAD:
        token = dead_intake_token(case, patient)
        for response in intake_pages(client, token):
            assert response.status_code == 404, (case, response.request["PATH_INFO"])
            assert response.content == reference.content, case


def test_every_dead_checkin_link_shows_the_same_not_working_page(client, patient):
    reference = client.get(start_url(secrets.token_urlsafe(32)))
    dead = {"wrong token": secrets.token_urlsafe(32)}
    for case in ["expired", "revoked", "closed"]:
        link, dead[case] = PatientLink.issue(patient, CHECKIN)
        {"expired": make_expired, "revoked": PatientLink.revoke, "closed": make_closed}[case](link)
    dead["wrong purpose"] = PatientLink.issue(patient, INTAKE)[1]
    dead["200 characters"] = PatientLink.issue(patient, CHECKIN)[1].ljust(200, "a")
    for case, token in dead.items():
        for response in [client.get(checkin_url(token)), client.post(checkin_url(token), {})]:
            assert response.status_code == 404, case
            assert response.content == reference.content, case


def test_a_working_link_opens_without_logging_in(client, patient):
    _, intake_token = PatientLink.issue(patient, INTAKE)
    _, checkin_token = PatientLink.issue(patient, CHECKIN)
    response = client.get(start_url(intake_token))
    assert response.status_code == 200  # the welcome page
    assert f'href="{step_url(intake_token, "about")}"' in response.content.decode()
    assert client.get(checkin_url(checkin_token)).status_code == 200


def test_an_unknown_step_of_a_working_link_is_a_404(client, patient):
    _, token = PatientLink.issue(patient, INTAKE)
    assert client.get(step_url(token, "shoe_size")).status_code == 404


def test_link_pages_are_not_cached(client, patient):
    _, token = PatientLink.issue(patient, INTAKE)
    response = client.get(step_url(token, "about"))
    assert "no-store" in response["Cache-Control"]
