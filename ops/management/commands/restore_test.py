"""python manage.py restore_test (`make restore-test`): restores the newest dump of
CLINIC_BACKUP_DIR into a scratch database, migrates it, and compares the row count of every
table with the source's (the counts `backup` took in the dump's snapshot, or the database's
now for a dump made without them). The scratch database is dropped afterwards."""

import json
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops import postgres


class Command(BaseCommand):
    help = (
        "Restore the newest dump into a scratch database, migrate it, and compare the row "
        "counts of every table with the source. PostgreSQL only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dump", type=Path, help="the dump (default: the newest)")
        parser.add_argument("--dir", type=Path, help=f"default {settings.BACKUP_DIR}")
        parser.add_argument(
            "--scratch", help="the scratch database (default: the source's name + _restore_test)"
        )
        parser.add_argument("--keep", action="store_true", help="keep the scratch database")

    def handle(self, *args, **options):
        postgres.require_postgresql("restore_test")
        dump = options["dump"] or newest_dump(options["dir"] or settings.BACKUP_DIR)
        source = postgres.database()["name"]
        scratch = options["scratch"] or f"{source}_restore_test"
        if scratch == source:
            raise CommandError("the scratch database cannot be the source")
        expected, origin = self.source_counts(dump)
        self.stdout.write(f"Restoring {dump} into {scratch}")
        self.run(["dropdb", "--if-exists", scratch])
        self.run(["createdb", scratch])
        try:
            self.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                      f"--dbname={scratch}", str(dump)])  # fmt: skip
            self.migrate(scratch)
            with postgres.connect(scratch) as conn:
                restored = postgres.table_counts(conn)
        finally:
            if not options["keep"]:
                self.run(["dropdb", "--if-exists", scratch])
        differ = [
            f"  {table}: {expected.get(table, 'no table')} in the source, "
            f"{restored.get(table, 'no table')} restored"
            for table in sorted(expected.keys() | restored.keys())
            if expected.get(table) != restored.get(table)
        ]
        if differ:
            raise CommandError("Row counts differ:\n" + "\n".join(differ))
        self.stdout.write(
            f"Restore test passed: {len(restored)} tables, {sum(restored.values())} rows, "
            f"every count equal to {origin}."
        )

    def source_counts(self, dump):
        counts_path = dump.with_suffix(".counts.json")
        if counts_path.exists():
            return json.loads(counts_path.read_text()), "the source's when it was dumped"
        with postgres.connect() as conn:
            return postgres.table_counts(conn), f"the source's now (no {counts_path.name})"

    def migrate(self, scratch):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py"), "migrate", "--noinput"]
        env = {**postgres.client_env(), "DATABASE_URL": postgres.url(scratch)}
        result = subprocess.run(manage, env=env, capture_output=True, text=True)
        if result.returncode:
            raise CommandError(f"migrate failed on the restored database:\n{result.stderr}")
        applied = [
            line for line in result.stdout.splitlines() if line.strip().startswith("Applying ")
        ]
        if applied:
            self.stdout.write(f"migrate applied {len(applied)} migrations the dump did not have")

    def run(self, command):
        try:
            result = subprocess.run(
                command, env=postgres.client_env(), capture_output=True, text=True
            )
        except FileNotFoundError:
            raise CommandError(
                f"{command[0]} is not installed: install PostgreSQL's client tools"
            ) from None
        if result.returncode:
            raise CommandError(f"{command[0]} failed: {result.stderr.strip()}")


def newest_dump(directory):
    dumps = sorted(Path(directory).glob("*.dump"), key=lambda path: path.stat().st_mtime)
    if not dumps:
        raise CommandError(f"no dump in {directory}: run python manage.py backup first")
    return dumps[-1]
