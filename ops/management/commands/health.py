"""python manage.py health: the checks of /healthz in this process, for a container with no
web server (the worker's health check): prints the same JSON, exits 1 if a part fails."""

import json
import sys

from django.core.management.base import BaseCommand

from ops import health


class Command(BaseCommand):
    help = "Check the database, the cache and the queue as /healthz does; exit 1 on a failure."

    def handle(self, *args, **options):
        parts, failing = health.report()
        status = "failing" if failing else "ok"
        self.stdout.write(json.dumps({"status": status, "checks": parts, "failing": failing}))
        if failing:
            sys.exit(1)
