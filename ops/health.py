"""The parts /healthz checks, named in settings.HEALTH_CHECKS. Each check is a function that
returns if its part works and raises if not. A part that comes later (a task queue, say)
adds its own function there; none is checked that does not exist."""

import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.utils.module_loading import import_string


class HealthError(Exception):
    pass


def database():
    """The default database answers a query."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def cache():
    """The default cache (Redis with REDIS_URL) stores a value and gives it back."""
    store = caches["default"]
    key = f"healthz:{uuid.uuid4().hex}"
    store.set(key, "ok", timeout=10)
    answer = store.get(key)
    store.delete(key)
    if answer != "ok":
        raise HealthError("the cache gave back another value")


def checks():
    """(name, function) for each part, in the order of the setting."""
    return [(name, import_string(path)) for name, path in settings.HEALTH_CHECKS.items()]
