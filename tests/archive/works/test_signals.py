"""``works.signals``: posts are announced once, after they commit; page views as they happen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.dispatch import Signal
from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.works import services, signals
from tests.archive.factories import make_work

Heard = list[tuple[str, dict[str, Any]]]


@pytest.fixture
def heard() -> Iterator[Heard]:
    """What the three signals said, in order."""
    told: Heard = []
    receivers = {}
    for name in ("work_posted", "chapter_posted", "work_viewed"):

        def receiver(name: str = name, **kwargs: Any) -> None:
            kwargs.pop("signal")
            told.append((name, kwargs))

        receivers[name] = receiver
        getattr(signals, name).connect(receiver, weak=False)
    yield told
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def names(told: Heard) -> list[str]:
    return [name for name, _ in told]


CHAPTER = services.ChapterFields(body="The tide turned before dawn came.")


def test_posting_a_work_is_announced_once_it_commits(
    author: User, heard: Heard, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        work = make_work(owner=author)
        assert heard == []  # nothing yet: the transaction could still roll back
    assert heard == [("work_posted", {"sender": type(work), "work": work})]


def test_drafts_are_announced_when_posted_and_only_then(
    author: User, heard: Heard, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        work = make_work(owner=author, post=False)
        services.add_chapter(work=work, by=author, fields=CHAPTER, post=True)
    assert heard == []
    with django_capture_on_commit_callbacks(execute=True):
        services.post_work(work=work, by=author)
        services.post_work(work=work, by=author)  # already posted: no second announcement
    assert names(heard) == ["work_posted"]


def test_posted_chapters_are_announced_drafts_are_not(
    author: User, heard: Heard, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    work = make_work(owner=author)
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.add_chapter(work=work, by=author, fields=CHAPTER, post=False)
        posted = services.add_chapter(work=work, by=author, fields=CHAPTER, post=True)
    assert heard == [("chapter_posted", {"sender": type(work), "chapter": posted})]
    with django_capture_on_commit_callbacks(execute=True):
        services.post_chapter(chapter=draft, by=author)
        services.post_chapter(chapter=draft, by=author)
    assert names(heard) == ["chapter_posted", "chapter_posted"]
    assert heard[-1][1]["chapter"] == draft


def test_a_post_rolled_back_is_never_announced(
    author: User, heard: Heard, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    work = make_work(owner=author)

    def post_then_fail() -> None:
        with transaction.atomic():
            services.add_chapter(work=work, by=author, fields=CHAPTER, post=True)
            raise RuntimeError("the disk filled up")

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        post_then_fail()
    assert heard == []
    assert callbacks == []


def test_a_failing_receiver_is_logged_and_the_post_stays(
    author: User,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    broken = Signal()

    def fails(**_: Any) -> None:
        raise ValueError("the inbox is full")

    broken.connect(fails, weak=False)
    with django_capture_on_commit_callbacks(execute=True):
        signals.announce_after_commit(broken, work=None)
    assert "failed after a change" in caplog.text


def test_opening_a_chapter_or_the_whole_work_is_told(
    author: User, as_reader: Client, reader: User, heard: Heard
) -> None:
    work = make_work(owner=author, chapters=2)
    second = work.chapters.get(position=2)
    as_reader.get(reverse("works:chapter", args=[work.pk, second.pk]), REMOTE_ADDR="192.0.2.1")
    as_reader.get(reverse("works:full", args=[work.pk]))
    as_reader.get(reverse("works:navigate", args=[work.pk]))  # not reading
    assert names(heard) == ["work_viewed", "work_viewed"]
    first, whole = heard[0][1], heard[1][1]
    assert (first["work"], first["chapter"], first["viewer"], first["address"]) == (
        work,
        second,
        reader,
        "192.0.2.1",
    )
    assert whole["chapter"] is None
