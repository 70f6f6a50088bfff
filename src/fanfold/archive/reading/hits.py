"""Hits: once per visitor per work per day, counted in memory and written in batches.

A page view only touches this process's memory: the visitor's key for the
day (an account id, or a keyed hash of the guest's address that changes
every day and is never stored), whether it was already counted, and one
more pending hit for the work. The pending hits are written by
:func:`fanfold.archive.reading.services.add_hits`, one UPDATE for many
works, when the buffer is older than ``FLUSH_SECONDS`` or holds
``FLUSH_HITS`` hits (by the request that finds it so), and when the process
exits. Decision 0008 (docs/decisions) says what this costs: each process
remembers its own visitors, and a crash loses the hits not yet written.

>>> buffer = HitBuffer(flush_hits=10**6, flush_seconds=10**6)
>>> buffer.record(work_id=7, visitor="a1"), buffer.record(work_id=7, visitor="a1")
(True, False)
>>> buffer.record(work_id=7, visitor="a2"), buffer.pending()
(True, {7: 2})
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import logging
import threading
import time
from collections import Counter
from datetime import date

from django.conf import settings
from django.utils import timezone

from fanfold.archive.reading.services import add_hits

log = logging.getLogger(__name__)

FLUSH_SECONDS = 60.0
FLUSH_HITS = 1_000
# Visitors remembered per process per day; past it the day starts over (some recounted).
SEEN_MAX = 1_000_000


def visitor_key(*, user_id: int | None, address: str, day: date) -> str:
    """Who a visitor is for one day: their account, or a keyed hash of their address and the day.

    >>> visitor_key(user_id=5, address="203.0.113.9", day=date(2026, 1, 1))
    'a5'
    >>> one = visitor_key(user_id=None, address="203.0.113.9", day=date(2026, 1, 1))
    >>> two = visitor_key(user_id=None, address="203.0.113.9", day=date(2026, 1, 2))
    >>> one != two, "203" in one
    (True, False)
    """
    if user_id is not None:
        return f"a{user_id}"
    message = f"hits:{day.isoformat()}:{address}".encode()
    return "g" + hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:24]


class HitBuffer:
    """One process's hits not yet written, and the visitors it has counted today."""

    def __init__(self, *, flush_hits: int = FLUSH_HITS, flush_seconds: float = FLUSH_SECONDS):
        self.flush_hits = flush_hits
        self.flush_seconds = flush_seconds
        self._lock = threading.Lock()
        self._day = timezone.now().date()
        self._seen: set[tuple[int, str]] = set()
        self._pending: Counter[int] = Counter()
        self._since = time.monotonic()

    def record(self, *, work_id: int, visitor: str, day: date | None = None) -> bool:
        """Count ``visitor``'s view of the work, unless already counted today; True if counted."""
        day = day or timezone.now().date()
        with self._lock:
            if day != self._day or len(self._seen) >= SEEN_MAX:
                self._day, self._seen = day, set()
            if (work_id, visitor) in self._seen:
                return False
            self._seen.add((work_id, visitor))
            if not self._pending:
                self._since = time.monotonic()
            self._pending[work_id] += 1
            return True

    def pending(self) -> dict[int, int]:
        with self._lock:
            return dict(self._pending)

    def due(self) -> bool:
        """Whether the pending hits should be written now (too many, or waiting too long)."""
        with self._lock:
            if not self._pending:
                return False
            waited = time.monotonic() - self._since
            return self._pending.total() >= self.flush_hits or waited >= self.flush_seconds

    def take(self) -> dict[int, int]:
        """Hand over the pending hits and start an empty batch."""
        with self._lock:
            taken, self._pending = dict(self._pending), Counter()
            self._since = time.monotonic()
            return taken

    def give_back(self, counts: dict[int, int]) -> None:
        """Put back hits whose write failed, for the next flush."""
        with self._lock:
            self._pending.update(counts)

    def forget(self) -> None:
        """Drop everything (tests start from an empty buffer)."""
        with self._lock:
            self._seen, self._pending = set(), Counter()
            self._day = timezone.now().date()


BUFFER = HitBuffer()


def record_hit(*, work_id: int, user_id: int | None, address: str) -> None:
    """Count one page view; write the buffer if it is due (the only time a view writes)."""
    day = timezone.now().date()
    BUFFER.record(work_id=work_id, visitor=visitor_key(user_id=user_id, address=address, day=day))
    if BUFFER.due():
        flush()


def flush() -> int:
    """Write this process's pending hits in one batch; how many works changed.

    A failed write puts the hits back for the next flush and is logged.
    """
    counts = BUFFER.take()
    if not counts:
        return 0
    try:
        return add_hits(counts)
    except Exception:
        BUFFER.give_back(counts)
        log.exception("could not write %d works' hits; kept for the next flush", len(counts))
        return 0


@atexit.register
def _flush_at_exit() -> None:
    """A process that stops (a gunicorn worker restarting, a deploy) writes what it counted."""
    try:
        flush()
    except Exception:
        log.exception("hits lost at exit")
