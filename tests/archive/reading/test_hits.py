"""``reading.hits``: once per visitor per work per day, buffered, written in one batch."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.reading import hits
from fanfold.archive.works.models import Work
from tests.archive.factories import make_work

DAY = date(2026, 12, 7)


def hit_counts() -> dict[str, int]:
    return dict(Work.objects.values_list("title", "hit_count"))


def test_a_visitor_counts_once_a_day_per_work() -> None:
    buffer = hits.HitBuffer()
    assert [buffer.record(work_id=1, visitor="a1", day=DAY) for _ in range(50)].count(True) == 1
    assert buffer.record(work_id=2, visitor="a1", day=DAY)
    assert buffer.record(work_id=1, visitor="a2", day=DAY)
    assert buffer.record(work_id=1, visitor="a1", day=date(2026, 12, 8))  # a new day
    assert buffer.pending() == {1: 3, 2: 1}


def test_the_buffer_is_due_after_enough_hits_or_time() -> None:
    buffer = hits.HitBuffer(flush_hits=3, flush_seconds=3600)
    buffer.record(work_id=1, visitor="a1", day=DAY)
    buffer.record(work_id=1, visitor="a2", day=DAY)
    assert not buffer.due()
    buffer.record(work_id=2, visitor="a2", day=DAY)
    assert buffer.due()
    assert buffer.take() == {1: 2, 2: 1}
    assert not buffer.due()
    waiting = hits.HitBuffer(flush_hits=1000, flush_seconds=0)
    waiting.record(work_id=1, visitor="a1", day=DAY)
    assert waiting.due()


def test_many_views_by_one_visitor_are_one_hit_two_visitors_two(
    author: User, as_stranger: Client, as_reader: Client
) -> None:
    work = make_work(owner=author, title="Salt")
    url = reverse("works:work", args=[work.pk])
    for _ in range(5):
        as_stranger.get(url, REMOTE_ADDR="203.0.113.9")
        as_reader.get(url)
    as_stranger.get(url, REMOTE_ADDR="198.51.100.7")
    assert hits.flush() == 1
    assert hit_counts() == {"Salt": 3}


def test_a_guests_page_view_writes_nothing(author: User, as_stranger: Client) -> None:
    work = make_work(owner=author)
    with CaptureQueriesContext(connection) as context:
        assert as_stranger.get(reverse("works:work", args=[work.pk])).status_code == 200
    statements = [q["sql"].split()[0].upper() for q in context.captured_queries]
    assert statements
    assert set(statements) <= {"SELECT", "SAVEPOINT", "RELEASE"}, statements


def test_a_due_buffer_is_written_by_the_view_that_finds_it_so(
    author: User, as_stranger: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hits.BUFFER, "flush_hits", 2)
    work = make_work(owner=author, title="Salt")
    url = reverse("works:work", args=[work.pk])
    as_stranger.get(url, REMOTE_ADDR="203.0.113.9")
    assert hit_counts() == {"Salt": 0}
    as_stranger.get(url, REMOTE_ADDR="198.51.100.7")
    assert hit_counts() == {"Salt": 2}
    assert hits.BUFFER.pending() == {}


def test_one_flush_writes_many_works_in_one_statement(author: User) -> None:
    works = [make_work(owner=author, title=f"Work {n}") for n in range(5)]
    for n, work in enumerate(works):
        for visitor in range(n):
            hits.BUFFER.record(work_id=work.pk, visitor=f"a{visitor}")
    with CaptureQueriesContext(connection) as context:
        assert hits.flush() == 4
    assert len(context.captured_queries) == 1
    assert hit_counts() == {f"Work {n}": n for n in range(5)}


def test_a_failed_flush_keeps_the_hits_for_the_next(
    author: User, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    work = make_work(owner=author, title="Salt")
    hits.BUFFER.record(work_id=work.pk, visitor="a1")

    def database_away(counts: Any) -> int:
        raise ConnectionError("the database went away")

    monkeypatch.setattr(hits, "add_hits", database_away)
    assert hits.flush() == 0
    assert "kept for the next flush" in caplog.text
    monkeypatch.undo()
    assert hits.flush() == 1
    assert hit_counts() == {"Salt": 1}


def test_listings_sorted_by_hits_follow_a_flush(
    author: User, as_reader: Client, as_stranger: Client
) -> None:
    read = make_work(owner=author, title="Much Read")
    quiet = make_work(owner=author, title="Quiet")  # newer: first in every other order
    for address in ("203.0.113.9", "198.51.100.7"):
        as_stranger.get(reverse("works:work", args=[read.pk]), REMOTE_ADDR=address)
    as_stranger.get(reverse("works:work", args=[quiet.pk]), REMOTE_ADDR="203.0.113.9")
    hits.flush()
    page = as_reader.get(reverse("search:works"), {"sort": "hits"}).content.decode()
    assert page.index("Much Read") < page.index("Quiet")
