"""``reading.receivers``: a posted chapter reaches subscribers through a worker; a page view
counts and is kept; counters stay right when kudos go by cascade (an account closed, a work
deleted)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from fanfold.archive.inbox.models import InboxEntry, Kind
from fanfold.archive.people.models import User
from fanfold.archive.reading import history, hits, services
from fanfold.archive.reading.models import Kudos, Reading
from fanfold.archive.works import services as works
from fanfold.archive.works.models import Work
from tests.archive.factories import UserFactory, make_work

CHAPTER = works.ChapterFields(body="The lighthouse keeper counted the ships.")


def test_posting_a_chapter_fills_the_subscribers_inboxes_from_a_worker_after_commit(
    author: User,
    reader: User,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: Callable[..., Any],
    run_worker: Callable[[], None],
) -> None:
    work = make_work(owner=author, title="Salt")
    User.objects.filter(pk=reader.pk).update(subscription_email="each")  # opted into email
    services.subscribe(user=reader, target=work)
    with django_capture_on_commit_callbacks(execute=True):
        chapter = works.add_chapter(work=work, by=author, fields=CHAPTER, post=True)
        assert not InboxEntry.objects.exists()
    assert not InboxEntry.objects.exists()  # the author's request is done; a worker delivers
    run_worker()
    entry = InboxEntry.objects.get()
    assert (entry.recipient, entry.kind, entry.chapter, entry.actor) == (
        reader,
        Kind.CHAPTER,
        chapter,
        author,
    )
    assert [m.to for m in mailoutbox] == [[reader.email]]


def test_a_new_work_reaches_the_authors_subscribers(
    author: User,
    reader: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
    run_worker: Callable[[], None],
) -> None:
    services.subscribe(user=reader, target=author)
    with django_capture_on_commit_callbacks(execute=True):
        draft = make_work(owner=author, post=False, title="Later")
    assert not InboxEntry.objects.exists()
    run_worker()
    assert not InboxEntry.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        works.post_work(work=draft, by=author)
    run_worker()
    assert list(InboxEntry.objects.values_list("kind", "work_id")) == [(Kind.WORK, draft.pk)]


def test_a_logged_in_readers_view_is_a_hit_and_a_history_line(
    author: User, as_reader: Client, reader: User
) -> None:
    work = make_work(owner=author)
    as_reader.get(reverse("works:work", args=[work.pk]))
    assert hits.BUFFER.pending() == {work.pk: 1}
    assert not Reading.objects.exists()  # noted in memory (reading.history) ...
    history.flush()
    assert Reading.objects.get().user == reader  # ... and written in a batch


def test_the_authors_own_views_count_for_nothing(author: User, as_author: Client) -> None:
    work = make_work(owner=author)
    as_author.get(reverse("works:work", args=[work.pk]))
    assert hits.BUFFER.pending() == {}
    assert not Reading.objects.exists()


@pytest.mark.django_db
def test_a_closed_account_takes_its_kudos_off_every_works_count(author: User, reader: User) -> None:
    loved, quiet = make_work(owner=author, title="Loved"), make_work(owner=author, title="Quiet")
    other = UserFactory(username="other")
    for work in (loved, quiet):
        services.leave_kudos(work=work, user=reader)
    services.leave_kudos(work=loved, user=other)
    services.leave_kudos(work=loved, guest="a-guest-key")
    reader.delete()
    counts = dict(Work.objects.values_list("title", "kudos_count"))
    assert counts == {"Loved": 2, "Quiet": 0}
    assert counts["Loved"] == Kudos.objects.filter(work=loved).count()


@pytest.mark.django_db
def test_a_deleted_work_goes_with_its_kudos_and_leaves_the_others_counts(
    author: User, reader: User
) -> None:
    gone, kept = make_work(owner=author, title="Gone"), make_work(owner=author, title="Kept")
    for work in (gone, kept):
        services.leave_kudos(work=work, user=reader)
    gone.delete()
    assert list(Work.objects.values_list("title", "kudos_count")) == [("Kept", 1)]
    assert Kudos.objects.count() == 1
