"""/healthz: 200 and "ok" for each part when the database, the cache and the queue work,
503 naming the failing part otherwise; public, never cached, about no patient, and not
audited. `manage.py health` says the same in a container with no web server."""

import datetime
import http.server
import threading

import pytest
from django.core.management import call_command
from django.db import OperationalError, connections
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from audit.models import AuditEvent
from ops import probe
from tests.redis_helpers import DOWN_REDIS_URL, redis_cache

URL = reverse("healthz")
LOCAL = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"}


def test_it_is_at_healthz():
    assert URL == "/healthz"


@pytest.mark.django_db
def test_an_anonymous_visitor_gets_200_when_every_part_works(client):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "queue": "ok"},
        "failing": [],
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_logged_in_user_gets_the_same(practitioner_client):
    assert practitioner_client.get(URL).json()["status"] == "ok"


@pytest.mark.django_db
def test_it_records_no_audit_event(practitioner_client):
    practitioner_client.get(URL)
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_it_answers_503_naming_the_database_and_the_queue_in_it_when_it_fails(
    client, monkeypatch, caplog
):
    def refuse():
        raise OperationalError("connection to server at 10.0.0.5 failed")

    monkeypatch.setattr(connections["default"], "ensure_connection", refuse)
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {"database": "failing", "cache": "ok", "queue": "failing"},
        "failing": ["database", "queue"],
    }
    assert "10.0.0.5" not in response.content.decode()
    assert "Health check 'database' failed (OperationalError)" in caplog.text


@pytest.mark.django_db
def test_it_answers_503_naming_the_cache_when_redis_is_down(client, settings):
    settings.CACHES = {"default": redis_cache(DOWN_REDIS_URL), "local": LOCAL}
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]


@pytest.mark.django_db
def test_it_checks_a_working_redis(client, settings, redis_url):
    settings.CACHES = {"default": redis_cache(redis_url), "local": LOCAL}
    assert client.get(URL).json()["checks"] == {"database": "ok", "cache": "ok", "queue": "ok"}


@task()
def idle():
    pass


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def minutes_ago(minutes):
    return timezone.now() - datetime.timedelta(minutes=minutes)


@pytest.mark.django_db
def test_it_answers_503_naming_the_queue_when_a_task_waits_ten_minutes(client, database_queue):
    idle.enqueue()
    DBTaskResult.objects.update(enqueued_at=minutes_ago(9))
    assert client.get(URL).status_code == 200
    DBTaskResult.objects.update(enqueued_at=minutes_ago(11))
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["failing"] == ["queue"]


@pytest.mark.django_db
def test_a_retry_waits_from_its_time_not_from_its_enqueuing(client, database_queue):
    idle.using(run_after=minutes_ago(-30)).enqueue()  # due in half an hour
    DBTaskResult.objects.update(enqueued_at=minutes_ago(60))
    assert client.get(URL).status_code == 200
    DBTaskResult.objects.update(run_after=minutes_ago(11))  # due 11 minutes ago
    assert client.get(URL).json()["failing"] == ["queue"]


@pytest.mark.django_db
def test_finished_tasks_do_not_count(client, database_queue):
    idle.enqueue()
    DBTaskResult.objects.update(enqueued_at=minutes_ago(60), status="SUCCESSFUL")
    assert client.get(URL).status_code == 200


def test_the_queue_is_checked_only_when_there_is_one():
    from clinic import settings as clinic_settings

    assert clinic_settings.TASKS_BACKEND == "database"  # debug off in the tests
    assert "queue" in clinic_settings.HEALTH_CHECKS


@pytest.mark.django_db
def test_a_part_added_to_the_setting_is_checked_too(client, settings):
    settings.HEALTH_CHECKS = {**settings.HEALTH_CHECKS, "smtp": "tests.ops.test_healthz.boom"}
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["failing"] == ["smtp"]


def boom():
    raise RuntimeError("a part that does not work")


@pytest.mark.django_db
def test_the_command_says_the_same_and_exits_1_on_a_failure(settings, capsys):
    call_command("health")
    assert '"status": "ok"' in capsys.readouterr().out
    settings.HEALTH_CHECKS = {"smtp": "tests.ops.test_healthz.boom"}
    with pytest.raises(SystemExit) as exited:
        call_command("health")
    assert exited.value.code == 1
    assert capsys.readouterr().out.strip() == (
        '{"status": "failing", "checks": {"smtp": "failing"}, "failing": ["smtp"]}'
    )


@pytest.mark.django_db
def test_it_refuses_a_post(client):
    assert client.post(URL).status_code == 405


@pytest.mark.django_db
def test_plain_http_is_answered_not_redirected_when_https_is_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(URL).status_code == 200
    assert client.get(reverse("login")).status_code == 301


@pytest.mark.parametrize(
    ("allowed", "host"),
    [("clinic.example.org,www.example.org", "clinic.example.org"), (".example.org", "example.org"),
     ("*", "localhost"), ("", "localhost")],
)  # fmt: skip
def test_the_probe_asks_under_the_first_allowed_host(allowed, host):
    assert probe.host_header(allowed) == host


class StubServer(http.server.BaseHTTPRequestHandler):
    """Answers /healthz with 200 when asked under clinic.example.org, anything else 503."""

    def do_GET(self):
        good = self.path == "/healthz" and self.headers["Host"] == "clinic.example.org"
        self.send_response(200 if good else 503)
        self.end_headers()
        self.wfile.write(b'{"status": "ok"}' if good else b'{"failing": ["cache"]}')

    def log_message(self, *args):
        pass


@pytest.fixture
def stub_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), StubServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_the_probe_exits_0_on_200_and_1_otherwise(stub_server, capsys):
    environ = {"DJANGO_ALLOWED_HOSTS": "clinic.example.org"}
    assert probe.main([stub_server + URL], environ) == 0
    assert probe.main([stub_server + "/elsewhere"], environ) == 1
    assert 'answered 503: {"failing": ["cache"]}' in capsys.readouterr().out
    assert probe.main(["http://127.0.0.1:1/healthz"], environ) == 1
    assert "did not answer" in capsys.readouterr().out
