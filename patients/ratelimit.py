"""A per-address limit on the patient link pages, the only public pages with data.

The count is kept in the default cache: Redis when REDIS_URL is set, so that every gunicorn
worker shares one count and the limit is exact. While Redis is down the pages keep working
and each process counts on its own ("local" cache), at the same limit: refusing every link
would lock patients out of their intake and check-ins, and the tokens (256 random bits) do
not depend on the limit to stay unguessable; per process the limit can at most be multiplied
by the number of workers (3 x 60 a minute with 3), which is how it counted before Redis.
"""

import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.shortcuts import render
from django.utils import timezone
from redis.exceptions import RedisError

from audit.ip import client_ip

logger = logging.getLogger(__name__)

# After a failure, Redis is tried again only after this many seconds, so that a Redis that
# does not answer does not slow every request by its timeout.
RETRY_SECONDS = 10


class SharedCount:
    """Counts in the shared cache, or in this process's own while the shared one fails."""

    def __init__(self):
        self.down_since = None  # time.monotonic() of the last failure

    def incr(self, key):
        if self.down_since is not None and time.monotonic() - self.down_since < RETRY_SECONDS:
            return _incr(caches["local"], key)
        try:
            count = _incr(cache, key)
        except RedisError as error:
            if self.down_since is None:
                # The error's type only: its text names the server, the key the client.
                logger.error(
                    "Shared cache unavailable (%s): the link rate limit counts per process",
                    type(error).__name__,
                )
            self.down_since = time.monotonic()
            return _incr(caches["local"], key)
        if self.down_since is not None:
            logger.warning("Shared cache back: the link rate limit counts across processes")
            self.down_since = None
        return count


def _incr(store, key):
    store.add(key, 0, timeout=60)
    try:
        return store.incr(key)
    except ValueError:  # expired between add and incr
        store.add(key, 1, timeout=60)
        return 1


counter = SharedCount()


def rate_limited(view):
    @wraps(view)
    def limited(request, *args, **kwargs):
        minute = timezone.now().strftime("%Y%m%d%H%M")
        count = counter.incr(f"link-rate:{client_ip(request)}:{minute}")
        if count > settings.LINK_RATE_LIMIT_PER_MINUTE:
            return render(request, "public/too_many.html", status=429)
        return view(request, *args, **kwargs)

    return limited
