"""A time limit on pure-Python work: the engine reading a work, never a database call.

A timer signal raised in the middle of a database call would leave the
connection unusable (psycopg: "another command is already in progress"), and
the failure could then not even be recorded; so only the engine's reading
runs under the limit (see ``services.analyse_work``).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class TimeLimitExceededError(Exception):
    """A reading ran longer than the time limit allows."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`TimeLimitExceededError` in the block once ``seconds`` have passed.

    A worker runs its jobs on its main thread, where a timer signal can
    interrupt pure-Python work; elsewhere (a job run inline in a test or a
    shell) the block simply runs to its end.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        raise TimeLimitExceededError(f"the reading took longer than {seconds} seconds")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
