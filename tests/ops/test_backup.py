"""manage.py backup and restore_test: a timestamped, owner-only pg_dump in custom format that
pg_restore can list, with the row counts of its snapshot beside it; the newest dump restored
into a scratch database, migrated, and its row counts compared. On SQLite both refuse,
saying how to back SQLite up."""

import json
import os
import re
import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from ops import postgres

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump and pg_restore need PostgreSQL (DATABASE_URL=postgres://...)",
)
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the refusal is SQLite's; PostgreSQL backs up"
)


@pytest.fixture
def scratch():
    """A scratch database name of this run's own (ops_ names only on this machine)."""
    name = f"ops_restore_{os.getpid()}"
    yield name
    assert not scratch_exists(name), "restore_test left its scratch database behind"


def scratch_exists(name):
    with postgres.connect("postgres") as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()


def backup(directory, capsys):
    call_command("backup", dir=directory)
    return capsys.readouterr().out


@on_sqlite
@pytest.mark.parametrize("command", ["backup", "restore_test"])
def test_on_sqlite_it_refuses_and_says_how_to_back_sqlite_up(db, command, tmp_path):
    with pytest.raises(CommandError, match=r"PostgreSQL only.*sqlite3 db\.sqlite3 \"\.backup"):
        call_command(command, dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


@on_postgresql
def test_backup_writes_a_timestamped_owner_only_dump_that_pg_restore_lists(db, tmp_path, capsys):
    directory = tmp_path / "backups"
    out = backup(directory, capsys)
    [dump] = directory.glob("*.dump")
    assert re.fullmatch(rf"{connection.settings_dict['NAME']}-\d{{8}}T\d{{6}}Z\.dump", dump.name)
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert re.search(r"checked: pg_restore --list reads \d+ entries", out)
    counts = json.loads(dump.with_suffix(".counts.json").read_text())
    assert counts["treatment_sessions_acupuncturepoint"] > 300  # loaded by a migration
    assert "clinic_auditevent" in counts
    assert not list(directory.glob("*.partial"))


@on_postgresql
def test_backup_says_so_when_pg_dump_is_missing(db, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump is not installed"):
        call_command("backup", dir=tmp_path / "backups")
    assert list((tmp_path / "backups").iterdir()) == []


@on_postgresql
def test_restore_test_restores_the_newest_dump_with_equal_counts(db, tmp_path, scratch, capsys):
    older = tmp_path / "clinic-20200101T000000Z.dump"
    older.write_bytes(b"not a dump")
    os.utime(older, (0, 0))
    backup(tmp_path, capsys)
    call_command("restore_test", dir=tmp_path, scratch=scratch)
    out = capsys.readouterr().out
    assert "Restore test passed" in out
    assert "every count equal to the source's when it was dumped" in out
    assert older.name not in out


@on_postgresql
def test_restore_test_compares_with_the_database_for_a_dump_without_counts(
    db, tmp_path, scratch, capsys
):
    backup(tmp_path, capsys)
    [counts] = tmp_path.glob("*.counts.json")
    counts.unlink()
    call_command("restore_test", dir=tmp_path, scratch=scratch)
    assert "equal to the source's now" in capsys.readouterr().out


@on_postgresql
def test_restore_test_fails_naming_a_table_whose_count_differs(db, tmp_path, scratch, capsys):
    backup(tmp_path, capsys)
    [counts_path] = tmp_path.glob("*.counts.json")
    counts = json.loads(counts_path.read_text())
    real = counts["auth_group"]
    counts["auth_group"] = real + 1
    counts_path.write_text(json.dumps(counts))
    with pytest.raises(CommandError) as raised:
        call_command("restore_test", dir=tmp_path, scratch=scratch)
    assert str(raised.value) == (
        f"Row counts differ:\n  auth_group: {real + 1} in the source, {real} restored"
    )


@on_postgresql
def test_restore_test_without_a_dump_says_to_run_backup(db, tmp_path):
    with pytest.raises(CommandError, match="no dump in .*: run python manage.py backup first"):
        call_command("restore_test", dir=tmp_path)


@on_postgresql
def test_restore_test_refuses_to_restore_over_the_source(db, tmp_path, capsys):
    backup(tmp_path, capsys)
    with pytest.raises(CommandError, match="cannot be the source"):
        call_command("restore_test", dir=tmp_path, scratch=connection.settings_dict["NAME"])
