"""python manage.py backup: a compressed pg_dump (custom format) of the database, named for
the time it was taken, checked by listing it with pg_restore, with the row count of every
table taken in the same snapshot beside it (for `manage.py restore_test`)."""

import json
import os
import subprocess
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ops import postgres


class Command(BaseCommand):
    help = (
        "Write a compressed pg_dump -Fc of the database into CLINIC_BACKUP_DIR and check it "
        "with pg_restore --list. PostgreSQL only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", type=Path, help=f"where to write (default {settings.BACKUP_DIR})"
        )

    def handle(self, *args, **options):
        postgres.require_postgresql("backup")
        directory = options["dir"] or settings.BACKUP_DIR
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = postgres.database()["name"]
        stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
        dump = directory / f"{name}-{stamp}.dump"
        partial = dump.with_suffix(".dump.partial")
        try:
            counts = self.dump(partial)
            entries = self.verify(partial)
        except BaseException:
            partial.unlink(missing_ok=True)  # no half-written dump left to be taken for one
            raise
        partial.rename(dump)
        counts_path = dump.with_suffix(".counts.json")
        with open(os.open(counts_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            json.dump(counts, f, indent=1, sort_keys=True)
        size = dump.stat().st_size / 1_000_000
        self.stdout.write(
            f"Wrote {dump} ({size:.1f} MB; {len(counts)} tables, {sum(counts.values())} rows), "
            f"checked: pg_restore --list reads {entries} entries."
        )

    def dump(self, path):
        """pg_dump in the snapshot of a transaction that counts the rows meanwhile, so that
        the counts are those of the dump even while the clinic writes."""
        with postgres.connect() as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            counts = postgres.table_counts(conn)
            # Owner-only from the start: the dump holds patient records.
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
            command = ["pg_dump", "--format=custom", "--compress=6", f"--snapshot={snapshot}"]
            result = self.run([*command, f"--file={path}"])
            conn.rollback()
        if result.returncode:
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        return counts

    def verify(self, path):
        result = self.run(["pg_restore", "--list", str(path)])
        if result.returncode:
            raise CommandError(f"pg_restore --list cannot read the dump: {result.stderr.strip()}")
        return sum(1 for line in result.stdout.splitlines() if line and not line.startswith(";"))

    def run(self, command):
        try:
            return subprocess.run(
                command, env=postgres.client_env(), capture_output=True, text=True
            )
        except FileNotFoundError:
            raise CommandError(
                f"{command[0]} is not installed: install PostgreSQL's client tools "
                "(Debian: apt-get install postgresql-client), of the server's version or newer"
            ) from None
