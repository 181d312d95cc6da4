"""The link pages' rate limit: a few requests a minute from one address, keeping someone
guessing tokens out."""

import datetime
import secrets
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse

from patients import ratelimit
from patients.models import PatientLink
from tests.intake_helpers import checkin_url, review_url, start_url

CHECKIN = PatientLink.Purpose.CHECKIN


@pytest.fixture
def three_a_minute(db, settings, monkeypatch):
    """At most 3 link requests a minute, on a clock that stands still (no minute turns
    over during the test)."""
    settings.LINK_RATE_LIMIT_PER_MINUTE = 3
    cache.clear()
    clock = SimpleNamespace(
        now=lambda: datetime.datetime(2026, 3, 2, 10, 15, 30, tzinfo=datetime.UTC)
    )
    monkeypatch.setattr(ratelimit, "timezone", clock)
    yield clock
    cache.clear()


def test_the_fourth_request_in_a_minute_from_one_address_is_refused(client, three_a_minute):
    guesses = [start_url(secrets.token_urlsafe(32)) for _ in range(4)]
    statuses = [client.get(url).status_code for url in guesses]
    assert statuses == [404, 404, 404, 429]
    response = client.get(guesses[0])
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()


def test_the_limit_counts_intake_and_checkin_pages_together(client, patient, three_a_minute):
    _, token = PatientLink.issue(patient, CHECKIN)
    assert client.get(checkin_url(token)).status_code == 200
    assert client.get(start_url("x" * 43)).status_code == 404
    assert client.get(review_url("y" * 43)).status_code == 404
    assert client.get(checkin_url(token)).status_code == 429


def test_another_address_is_not_limited_by_the_first(client, three_a_minute):
    for _ in range(4):
        client.get(start_url("x" * 43))
    assert client.get(start_url("x" * 43)).status_code == 429
    other = client.get(start_url("x" * 43), REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 404


def test_the_limit_starts_again_the_next_minute(client, three_a_minute):
    for _ in range(4):
        client.get(start_url("x" * 43))
    later = three_a_minute.now() + datetime.timedelta(minutes=1)
    three_a_minute.now = lambda: later
    assert client.get(start_url("x" * 43)).status_code == 404


def test_the_thanks_page_is_not_limited(client, three_a_minute):
    for _ in range(4):
        client.get(start_url("x" * 43))
    assert client.get(reverse("intake:thanks")).status_code == 200
