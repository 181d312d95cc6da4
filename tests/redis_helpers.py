"""The Redis of these machines (127.0.0.1:6379) for the tests of the shared cache: database 5
unless TEST_REDIS_URL names another, emptied before and after each test that uses it. Without
a Redis the tests skip and say why; CI (`CI=true`) fails instead."""

import os

import pytest
import redis

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
# Nothing listens on port 1: a Redis that is down.
DOWN_REDIS_URL = "redis://127.0.0.1:1/5"


def redis_cache(url):
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
    }


@pytest.fixture
def redis_url():
    client = redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        message = f"no Redis at {TEST_REDIS_URL} ({type(error).__name__}; set TEST_REDIS_URL)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    client.flushdb()
    yield TEST_REDIS_URL
    client.flushdb()
    client.close()
