"""With REDIS_URL and 3 gunicorn workers the link rate limit is exact: of 90 requests sent
at once by 12 clients from one address, 20 (the limit) pass and 70 are refused, because the
workers count in one Redis. (Before Redis, each worker counted for itself: with 3 workers,
180 requests a minute passed a limit of 60.)

gunicorn runs in debug mode, to spare the test a collectstatic; the rate limit does not
depend on it. Its database is the test database on PostgreSQL, a migrated file on SQLite."""

import datetime
import os
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.conf import settings
from django.db import connection

from demo.loadtest.server import children, free_port, wait_until_up

LIMIT = 20
REQUESTS = 90
CLIENTS = 12
WORKERS = 3


def database_url(tmp_path):
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    url = f"sqlite:///{tmp_path / 'workers.sqlite3'}"
    migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clinic.settings", "DATABASE_URL": url}
    subprocess.run(migrate, cwd=settings.BASE_DIR, env={**env, "DJANGO_DEBUG": "true"}, check=True)
    return url


@pytest.fixture
def gunicorn(db, tmp_path, redis_url):
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": database_url(tmp_path),
        "REDIS_URL": redis_url,
        "CLINIC_LINK_RATE_LIMIT": str(LIMIT),
    }
    command = [sys.executable, "-m", "gunicorn", "clinic.wsgi", "--no-control-socket"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS)]
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            wait_until_up(server, f"http://127.0.0.1:{port}/accounts/login/", log_path)
            yield server, f"http://127.0.0.1:{port}"
        finally:
            server.terminate()
            server.wait(timeout=30)


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for_a_fresh_minute():
    """The limit counts per clock minute: start early in one, so that the burst fits in it."""
    second = datetime.datetime.now(datetime.UTC).second
    if second > 40:
        time.sleep(61 - second)


def test_three_workers_let_no_more_than_the_limit_through_in_a_minute(gunicorn, redis_url):
    server, host = gunicorn
    assert len(children(server.pid)) == WORKERS
    urls = [f"{host}/p/intake/{secrets.token_urlsafe(32)}/" for _ in range(REQUESTS)]
    wait_for_a_fresh_minute()
    started = datetime.datetime.now(datetime.UTC).strftime("%H%M")
    with ThreadPoolExecutor(max_workers=CLIENTS) as clients:
        codes = list(clients.map(status, urls))
    assert datetime.datetime.now(datetime.UTC).strftime("%H%M") == started, "burst too slow"
    assert (codes.count(404), codes.count(429)) == (LIMIT, REQUESTS - LIMIT)
    store = redis.Redis.from_url(redis_url)
    [key] = store.keys("*link-rate:127.0.0.1:*")
    assert int(store.get(key)) == REQUESTS  # every worker counted in the one key
