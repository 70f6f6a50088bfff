from __future__ import annotations

from collections.abc import Callable

import pytest

from fanfold.archive.inbox.models import InboxEntry, Kind
from fanfold.archive.people.models import User
from fanfold.archive.reading import services
from fanfold.archive.reading.tasks import tell_subscribers_task
from fanfold.archive.works import services as works
from tests.archive.factories import make_work

pytestmark = pytest.mark.django_db


def test_the_job_delivers_a_chapter_to_the_subscribers(
    author: User, reader: User, run_worker: Callable[[], None]
) -> None:
    work = make_work(owner=author)
    services.subscribe(user=reader, target=work)
    chapter = works.add_chapter(
        work=work, by=author, fields=works.ChapterFields(body="The tide turned."), post=True
    )
    tell_subscribers_task.enqueue(work.pk, chapter.pk)
    run_worker()
    assert list(InboxEntry.objects.values_list("kind", "chapter_id")) == [
        (Kind.CHAPTER, chapter.pk)
    ]


def test_a_job_for_a_work_or_chapter_deleted_meanwhile_tells_nobody(
    author: User, reader: User
) -> None:
    work = make_work(owner=author)
    services.subscribe(user=reader, target=author)
    assert tell_subscribers_task.call(987654) == 0
    assert tell_subscribers_task.call(work.pk, 987654) == 0
    assert tell_subscribers_task.call(work.pk) == 1
    assert InboxEntry.objects.get().kind == Kind.WORK
