"""What the reading app does when the works app tells it something (see ``works.signals``).

Connected in ``ReadingConfig.ready()``. Each receiver hands over to one
service at once: the decisions live in the services, where they are tested.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

from fanfold.archive.people.models import User
from fanfold.archive.reading import hits, services
from fanfold.archive.works.models import Chapter, Work


def work_posted(*, work: Work, **_: Any) -> None:
    services.tell_subscribers(work=work)


def chapter_posted(*, chapter: Chapter, **_: Any) -> None:
    services.tell_subscribers(work=chapter.work, chapter=chapter)


def work_viewed(
    *, work: Work, chapter: Chapter | None, viewer: User | AnonymousUser, address: str, **_: Any
) -> None:
    """Count the hit (in memory) and keep a logged-in reader's history; not the author's own."""
    if work.is_draft or viewer.pk == work.owner_id:
        return
    reader = viewer if isinstance(viewer, User) else None
    hits.record_hit(work_id=work.pk, user_id=reader.pk if reader else None, address=address)
    if reader is not None:
        services.record_reading(user=reader, work=work, chapter=chapter)
