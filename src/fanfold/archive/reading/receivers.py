"""What the reading app does when the works app tells it something, and counters kept
right when rows go by cascade.

The works receivers (see ``works.signals``) are connected in
``ReadingConfig.ready()``; each hands over to one service at once, where
the decisions are tested. Closing an account deletes its kudos by cascade
(Django sends ``post_delete`` for each cascaded row once a receiver
listens): the works they were on count one fewer, so a listing sorted by
kudos never counts a reader who is gone.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import F
from django.db.models.signals import post_delete
from django.dispatch import receiver

from fanfold.archive.people.models import User
from fanfold.archive.reading import history, hits, services
from fanfold.archive.reading.models import Kudos
from fanfold.archive.reading.tasks import tell_subscribers_task
from fanfold.archive.works import versions
from fanfold.archive.works.models import Chapter, Work


def work_posted(*, work: Work, **_: Any) -> None:
    """Subscribers hear of the new work from a worker, never while the author waits."""
    tell_subscribers_task.enqueue(work.pk)


def chapter_posted(*, chapter: Chapter, **_: Any) -> None:
    tell_subscribers_task.enqueue(chapter.work_id, chapter.pk)


def work_viewed(
    *, work: Work, chapter: Chapter | None, viewer: User | AnonymousUser, address: str, **_: Any
) -> None:
    """Count the hit (in memory) and keep a logged-in reader's history; not the author's own."""
    if work.is_draft or viewer.pk == work.owner_id:
        return
    reader = viewer if isinstance(viewer, User) else None
    hits.record_hit(work_id=work.pk, user_id=reader.pk if reader else None, address=address)
    if reader is not None and services.keeps_history(user=reader, work=work):
        # In memory, written in batches: a page view writes nothing (reading.history).
        history.note_reading(
            user_id=reader.pk, work_id=work.pk, chapter_id=chapter.pk if chapter else None
        )


@receiver(post_delete, sender=Kudos, dispatch_uid="reading.uncount_kudos")
def uncount_kudos(sender: type[Kudos], instance: Kudos, **kwargs: Any) -> None:
    Work.objects.filter(pk=instance.work_id, kudos_count__gt=0).update(
        kudos_count=F("kudos_count") - 1, **versions.NEXT_VERSION
    )
    versions.moved([instance.work_id])
