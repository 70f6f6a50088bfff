"""What the works app tells the apps above it, without importing them.

The works app sits below ``reading`` (subscriptions, history, hits) and may
not import it; it sends these signals instead, and the higher app connects
its receivers in its ``AppConfig.ready()``.

- ``work_posted`` (``work``): a work was posted for the first time.
- ``chapter_posted`` (``chapter``): a chapter of a work was posted.
- ``work_viewed`` (``work``, ``chapter`` or None for the whole work,
  ``viewer``, ``address``): a reader opened a chapter or the whole work.
- ``work_text_changed`` (``work_id``): a work's text may read differently
  now: a chapter was written, edited, deleted or moved, or the author turned
  the reading of the work on or off. Sent once per service call.

The "posted" and "changed" signals are sent once the transaction that posted commits
(:func:`announce_after_commit`), so a receiver never tells anyone of a post
that was rolled back, and a receiver's failure cannot undo the post.
Receivers re-read what they need: by the time they run, a work may have
been hidden or deleted.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest

from fanfold.archive.security import client_address
from fanfold.archive.works.models import Chapter, Work

work_posted = Signal()
chapter_posted = Signal()
work_viewed = Signal()
work_text_changed = Signal()

log = logging.getLogger(__name__)


def announce_after_commit(signal: Signal, **kwargs: Any) -> None:
    """Send ``signal`` once the current transaction commits (at once outside one).

    A receiver that fails is logged; the post it was told of stays posted.
    """

    def send() -> None:
        for receiver, outcome in signal.send_robust(sender=Work, **kwargs):
            if isinstance(outcome, Exception):
                log.error("receiver %r failed after a change", receiver, exc_info=outcome)

    transaction.on_commit(send)


def tell_work_viewed(request: HttpRequest, work: Work, chapter: Chapter | None) -> None:
    """Let the apps above count the hit and keep the reader's history: a rendered
    page and a page answered from the cache (``works.pagecache``) alike."""
    work_viewed.send(
        sender=Work,
        work=work,
        chapter=chapter,
        viewer=request.user,
        address=client_address(request),
    )
