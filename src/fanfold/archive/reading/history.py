"""Reading history without a write on every page: kept in memory, written in batches.

A logged-in reader's chapter view only notes, in this process's memory, the
last chapter they opened of the work, when, and one more visit. The notes
are written by :func:`fanfold.archive.reading.services.record_readings` (an
UPDATE per reading, an INSERT for a new one) when the buffer holds
``FLUSH_ENTRIES`` readings or its oldest is ``FLUSH_SECONDS`` old (by the
request that finds it so), when the process exits, and before a reader's
own history is shown: that reader's notes are written first, so the page
shows the chapter they just left. As with hits (decision 0008), several
app servers each hold their own notes: a history page served by another
process shows a chapter opened there at most ``FLUSH_SECONDS`` late, and a
crash loses at most that many seconds of history (never anything else).

Clearing one's history or pausing it drops the notes not yet written, so
nothing cleared comes back.

>>> buffer = HistoryBuffer(flush_entries=10**6, flush_seconds=10**6)
>>> buffer.note(user_id=1, work_id=7, chapter_id=70, at=1.0)
>>> buffer.note(user_id=1, work_id=7, chapter_id=71, at=2.0)
>>> buffer.note(user_id=1, work_id=7, chapter_id=None, at=3.0)  # the whole work: chapter stays
>>> buffer.take(user_id=1)
{(1, 7): Note(chapter_id=71, at=3.0, visits=3)}
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace

from fanfold.archive.reading.services import record_readings

log = logging.getLogger(__name__)

FLUSH_SECONDS = 15.0
FLUSH_ENTRIES = 500


@dataclass(frozen=True, slots=True)
class Note:
    """What one reader did with one work since the last write."""

    chapter_id: int | None  # the last chapter opened; None: only the whole work was
    at: float  # seconds since the epoch
    visits: int


Key = tuple[int, int]  # (user id, work id)


class HistoryBuffer:
    """One process's reading notes not yet written."""

    def __init__(self, *, flush_entries: int = FLUSH_ENTRIES, flush_seconds: float = FLUSH_SECONDS):
        self.flush_entries = flush_entries
        self.flush_seconds = flush_seconds
        self._lock = threading.Lock()
        self._notes: dict[Key, Note] = {}
        self._since = time.monotonic()

    def note(self, *, user_id: int, work_id: int, chapter_id: int | None, at: float) -> None:
        with self._lock:
            if not self._notes:
                self._since = time.monotonic()
            before = self._notes.get((user_id, work_id))
            if before is None:
                self._notes[user_id, work_id] = Note(chapter_id, at, 1)
            else:
                chapter = chapter_id if chapter_id is not None else before.chapter_id
                self._notes[user_id, work_id] = replace(
                    before, chapter_id=chapter, at=at, visits=before.visits + 1
                )

    def due(self) -> bool:
        with self._lock:
            if not self._notes:
                return False
            waited = time.monotonic() - self._since
            return len(self._notes) >= self.flush_entries or waited >= self.flush_seconds

    def take(self, *, user_id: int | None = None) -> dict[Key, Note]:
        """Hand over the notes (all, or one reader's) and keep the rest."""
        with self._lock:
            if user_id is None:
                taken, self._notes = self._notes, {}
                self._since = time.monotonic()
                return taken
            taken = {key: note for key, note in self._notes.items() if key[0] == user_id}
            for key in taken:
                del self._notes[key]
            return taken

    def drop(self, *, user_id: int, work_ids: Iterable[int] | None = None) -> None:
        """Forget a reader's notes (of these works, or all): their history was cleared."""
        works = None if work_ids is None else set(work_ids)
        with self._lock:
            for key in [k for k in self._notes if k[0] == user_id]:
                if works is None or key[1] in works:
                    del self._notes[key]

    def forget(self) -> None:
        """Drop everything (tests start from an empty buffer)."""
        with self._lock:
            self._notes = {}


BUFFER = HistoryBuffer()


def note_reading(*, user_id: int, work_id: int, chapter_id: int | None) -> None:
    """Note one page a reader opened; write the buffer if due (the only time a view writes)."""
    BUFFER.note(user_id=user_id, work_id=work_id, chapter_id=chapter_id, at=time.time())
    if BUFFER.due():
        flush()


def flush(*, user_id: int | None = None) -> int:
    """Write the pending notes (all, or one reader's); how many readings were written.

    A failed write is logged and its notes dropped: history is a convenience,
    never worth failing a page for.
    """
    notes = BUFFER.take(user_id=user_id)
    if not notes:
        return 0
    try:
        return record_readings(
            {key: (note.chapter_id, note.at, note.visits) for key, note in notes.items()}
        )
    except Exception:
        log.exception("could not write %d readings", len(notes))
        return 0


@atexit.register
def _flush_at_exit() -> None:
    try:
        flush()
    except Exception:
        log.exception("reading history lost at exit")
