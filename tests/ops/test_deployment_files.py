"""docker-compose.yml, .env.example and the README, read as files: docker cannot run on
these machines, so the compose file's structure is checked instead of started (YAML, and
the keys the deployment relies on). Every variable the settings read is in .env.example and
documented in the README."""

import ast
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ENV_HELPERS = {"env_str", "env_bool", "env_int", "env_list", "env_url_list", "env_choice"}


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def settings_variables():
    """The names of the variables clinic/settings.py reads through clinic.env."""
    tree = ast.parse((ROOT / "clinic" / "settings.py").read_text())
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) in ENV_HELPERS
        and isinstance(node.args[0], ast.Constant)
    }


def test_the_settings_read_the_variables_this_test_knows_of():
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "CLINIC_BACKUP_DIR"} <= (
        settings_variables()
    )


def test_the_services_are_db_redis_web_and_worker(compose):
    assert set(compose["services"]) == {"db", "redis", "web", "worker"}


def test_db_is_postgresql_17_with_a_volume(compose):
    db = compose["services"]["db"]
    assert db["image"].split(":")[1].startswith("17")
    assert db["image"].startswith("postgres:")
    assert "pgdata:/var/lib/postgresql/data" in db["volumes"]
    assert "pgdata" in compose["volumes"]


@pytest.mark.parametrize("service", ["db", "redis", "web", "worker"])
def test_every_service_has_a_health_check(compose, service):
    check = compose["services"][service]["healthcheck"]
    assert check["test"][0] in ("CMD", "CMD-SHELL")
    assert {"interval", "timeout", "retries"} <= set(check)


def test_web_waits_for_a_healthy_db_and_redis(compose):
    assert compose["services"]["web"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }


def test_the_worker_runs_the_queue_once_web_has_migrated(compose):
    worker = compose["services"]["worker"]
    assert worker["command"] == ["python", "manage.py", "db_worker"]
    assert worker["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "web": {"condition": "service_healthy"},  # web applies the migrations on start
    }
    assert worker["healthcheck"]["test"] == ["CMD", "python", "manage.py", "health"]
    web = compose["services"]["web"]
    assert worker["environment"] == web["environment"]
    assert worker["env_file"] == web["env_file"]
    assert worker.get("build") == web.get("build")


def test_the_worker_command_exists():
    from django.core.management import get_commands

    assert get_commands()["db_worker"] == "django_tasks_db"
    assert "health" in get_commands()


def test_web_checks_its_health_at_healthz_and_uses_the_redis_and_db_services(compose):
    web = compose["services"]["web"]
    assert web["healthcheck"]["test"] == ["CMD", "python", "-m", "ops.probe"]
    assert web["environment"]["REDIS_URL"].startswith("redis://redis:6379/")
    assert "@db:5432/" in web["environment"]["DATABASE_URL"]
    assert web["env_file"] == ".env"
    assert web["ports"] == ["127.0.0.1:8000:8000"]


def test_web_keeps_its_backups_in_a_volume_where_the_settings_look(compose):
    assert "backups:/app/backups" in compose["services"]["web"]["volumes"]
    assert "backups" in compose["volumes"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "postgresql-client" in dockerfile  # pg_dump for manage.py backup
    assert "/app/backups" in dockerfile


def test_the_image_gets_no_secrets_databases_or_dumps():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", "backups", "db.sqlite3*", ".git", ".venv"} <= set(ignored)


def test_every_variable_compose_interpolates_is_in_env_example():
    used = set(re.findall(r"\$\{(\w+)", (ROOT / "docker-compose.yml").read_text()))
    assert used == {"POSTGRES_PASSWORD"}
    assert used <= example_variables()


def example_variables():
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def test_env_example_lists_every_variable_the_settings_read():
    assert settings_variables() - example_variables() == set()


def test_the_readme_documents_every_variable():
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", readme))
    assert (settings_variables() | example_variables()) - documented == set()
