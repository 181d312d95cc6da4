"""Two real database connections meeting: one holds its locks while the other waits."""

import threading

from django.db import connection


def waits_for(holder, waiter, wait=0.5):
    """Run `holder(hold)` in one thread: it takes its locks, inside its own transaction,
    then calls `hold()`, which keeps them until released. Then run `waiter` in a second
    thread. Returns whether the waiter was still waiting after `wait` seconds (blocked by
    the holder's locks); the holder is then released and both threads finish."""
    holding, release = threading.Event(), threading.Event()

    def hold():
        holding.set()
        release.wait(10)

    def run(work, *args):
        try:
            work(*args)
        finally:
            connection.close()

    first = threading.Thread(target=run, args=(holder, hold))
    first.start()
    assert holding.wait(10), "the holder never took its locks"
    second = threading.Thread(target=run, args=(waiter,))
    second.start()
    second.join(wait)
    waited = second.is_alive()
    release.set()
    first.join(10)
    second.join(10)
    return waited
