"""The link rate limit in a shared Redis, and what it does while Redis is down: the pages
keep answering, each process counts on its own at the same limit (never no limit), and the
outage and the recovery are logged once each, without the client's address or a token.
(Several gunicorn workers sharing one count: test_link_rate_limit_workers.py.)"""

import datetime
import logging
from types import SimpleNamespace

import pytest
import redis
from django.core.cache import caches

from patients import ratelimit
from tests.intake_helpers import start_url
from tests.redis_helpers import DOWN_REDIS_URL, redis_cache

LOCAL = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"}
TOKEN = "x" * 43


@pytest.fixture
def three_a_minute(db, settings, monkeypatch):
    """At most 3 link requests a minute, on a clock that stands still, with a fresh counter
    and an empty local count."""
    settings.LINK_RATE_LIMIT_PER_MINUTE = 3
    now = datetime.datetime(2026, 3, 2, 10, 15, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(ratelimit, "timezone", SimpleNamespace(now=lambda: now))
    monkeypatch.setattr(ratelimit, "counter", ratelimit.SharedCount())
    caches["local"].clear()
    yield settings
    caches["local"].clear()


@pytest.fixture
def redis_down(three_a_minute):
    three_a_minute.CACHES = {"default": redis_cache(DOWN_REDIS_URL), "local": LOCAL}
    return three_a_minute


def statuses(client, count):
    return [client.get(start_url(TOKEN)).status_code for _ in range(count)]


def test_with_redis_the_count_is_kept_in_redis(client, three_a_minute, redis_url):
    three_a_minute.CACHES = {"default": redis_cache(redis_url), "local": LOCAL}
    assert statuses(client, 4) == [404, 404, 404, 429]
    keys = redis.Redis.from_url(redis_url).keys("*link-rate:127.0.0.1:*")
    assert len(keys) == 1
    assert int(redis.Redis.from_url(redis_url).get(keys[0])) == 4


def test_with_redis_down_the_pages_answer_and_the_limit_still_holds(client, redis_down):
    assert statuses(client, 5) == [404, 404, 404, 429, 429]


def test_the_outage_is_logged_once_without_the_address_or_the_token(client, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="patients.ratelimit"):
        statuses(client, 3)
    assert [record.levelname for record in caplog.records] == ["ERROR"]
    message = caplog.records[0].getMessage()
    assert message == (
        "Shared cache unavailable (ConnectionError): the link rate limit counts per process"
    )
    assert "127.0.0.1" not in message
    assert TOKEN not in message


def test_while_redis_is_down_it_is_not_asked_again_for_a_while(client, redis_down, monkeypatch):
    tries = []
    real_incr = ratelimit._incr
    monkeypatch.setattr(
        ratelimit, "_incr", lambda store, key: tries.append(store) or real_incr(store, key)
    )
    statuses(client, 3)
    # The first request tried Redis and then the local count; the next two only the local one.
    assert len(tries) == 4


def test_when_redis_is_back_it_counts_there_again_and_says_so(
    client,
    redis_down,
    redis_url,
    monkeypatch,
    caplog,
):
    assert statuses(client, 1) == [404]
    redis_down.CACHES = {"default": redis_cache(redis_url), "local": LOCAL}
    monkeypatch.setattr(ratelimit, "RETRY_SECONDS", 0)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="patients.ratelimit"):
        assert statuses(client, 4) == [404, 404, 404, 429]  # a fresh count in Redis
    assert [record.getMessage() for record in caplog.records] == [
        "Shared cache back: the link rate limit counts across processes"
    ]
