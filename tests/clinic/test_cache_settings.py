"""The cache: each process's own memory unless REDIS_URL names a Redis, which then holds
the default cache (the link rate limit's count); "local" is always per process."""

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHOW_CACHES = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='clinic.settings'; django.setup(); "
    "from django.conf import settings as s; "
    "print(s.CACHES['default']['BACKEND'], s.CACHES['default'].get('LOCATION', '-'), "
    "s.CACHES['local']['BACKEND'])"
)
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
REDIS = "django.core.cache.backends.redis.RedisCache"


def start(**variables):
    return subprocess.run(
        [sys.executable, "-c", SHOW_CACHES],
        cwd=PROJECT_ROOT,
        env={"DJANGO_DEBUG": "true", **variables},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_redis_url_each_process_keeps_its_own_cache():
    result = start()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [LOCMEM, "-", LOCMEM]


def test_with_redis_url_the_default_cache_is_redis():
    result = start(REDIS_URL="redis://:secret@redis:6379/1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [REDIS, "redis://:secret@redis:6379/1", LOCMEM]


def test_a_malformed_redis_url_stops_start_up_without_showing_it():
    result = start(REDIS_URL="http://:secret@redis:6379")
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured: REDIS_URL must start with redis://" in last_line
    assert "secret" not in result.stderr
