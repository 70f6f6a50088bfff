"""Reading history noted in memory: a page view writes nothing, the history page is still right."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.archive.people import services as people_services
from fanfold.archive.people.models import User
from fanfold.archive.reading import history, services
from fanfold.archive.reading.models import Reading
from fanfold.archive.works import services as works
from fanfold.archive.works.models import Chapter, Work
from tests.archive.factories import make_work

WRITES = ("INSERT", "UPDATE", "DELETE")


def _chapters(work: Work) -> list[Chapter]:
    return list(work.chapters.order_by("position"))


def _url(chapter: Chapter) -> str:
    return reverse("works:chapter", args=[chapter.work_id, chapter.pk])


def test_a_warm_logged_in_chapter_view_writes_nothing(author: User, as_reader: Client) -> None:
    work = make_work(owner=author, chapters=3)
    first, second, _ = _chapters(work)
    as_reader.get(_url(first))  # warm: the session, the caches
    with CaptureQueriesContext(connection) as context:
        assert as_reader.get(_url(second)).status_code == 200
    writes = [q["sql"] for q in context.captured_queries if q["sql"].startswith(WRITES)]
    assert writes == []


def test_the_history_page_shows_the_chapter_just_left(
    author: User, reader: User, as_reader: Client
) -> None:
    work = make_work(owner=author, chapters=3)
    first, _, third = _chapters(work)
    as_reader.get(_url(first))
    as_reader.get(_url(third))
    assert not Reading.objects.exists()
    page = as_reader.get(reverse("reading:history"))
    assert f"Last read chapter {third.number} of 3" in page.content.decode()
    reading = Reading.objects.get(user=reader, work=work)
    assert (reading.last_chapter_id, reading.visits) == (third.pk, 2)


def test_notes_are_written_in_a_batch_when_due(
    author: User, reader: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history.BUFFER, "flush_entries", 2)
    one, two = make_work(owner=author, title="One"), make_work(owner=author, title="Two")
    history.note_reading(user_id=reader.pk, work_id=one.pk, chapter_id=None)
    assert not Reading.objects.exists()
    history.note_reading(user_id=reader.pk, work_id=two.pk, chapter_id=None)
    assert Reading.objects.filter(user=reader).count() == 2


def test_notes_wait_no_longer_than_their_time(
    author: User, reader: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history.BUFFER, "flush_seconds", 0.0)
    work = make_work(owner=author)
    history.note_reading(user_id=reader.pk, work_id=work.pk, chapter_id=None)
    assert Reading.objects.filter(user=reader, work=work).exists()


def test_clearing_history_drops_what_was_not_yet_written(
    author: User, reader: User, as_reader: Client
) -> None:
    work = make_work(owner=author)
    as_reader.get(reverse("works:work", args=[work.pk]))
    services.forget_reading(user=reader)
    history.flush()
    assert not Reading.objects.exists()


def test_forgetting_one_work_keeps_the_others_notes(author: User, reader: User) -> None:
    kept, gone = make_work(owner=author, title="Kept"), make_work(owner=author, title="Gone")
    for work in (kept, gone):
        history.note_reading(user_id=reader.pk, work_id=work.pk, chapter_id=None)
    services.forget_reading(user=reader, work_ids=[gone.pk])
    history.flush()
    assert list(Reading.objects.values_list("work__title", flat=True)) == ["Kept"]


def test_history_paused_before_the_write_keeps_nothing(
    author: User, reader: User, as_reader: Client
) -> None:
    work = make_work(owner=author)
    as_reader.get(reverse("works:work", args=[work.pk]))
    people_services.set_history_paused(user=reader, paused=True)
    assert history.flush() == 0
    assert not Reading.objects.exists()


def test_a_chapter_or_work_deleted_before_the_write_fails_nothing(
    author: User, reader: User
) -> None:
    kept = make_work(owner=author, title="Kept", chapters=2)
    gone = make_work(owner=author, title="Gone")
    _, last = _chapters(kept)
    history.note_reading(user_id=reader.pk, work_id=kept.pk, chapter_id=last.pk)
    history.note_reading(user_id=reader.pk, work_id=gone.pk, chapter_id=None)
    works.delete_chapter(chapter=last, by=author)
    works.delete_work(work=gone, by=author)
    assert history.flush() == 1
    reading = Reading.objects.get(user=reader)
    assert (reading.work_id, reading.last_chapter_id) == (kept.pk, None)
