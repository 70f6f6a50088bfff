"""``reading.models``: kudos once a work, from one account or one guest; a bookmark of one
work or one series, once per reader; a subscription to one thing, once; one reading a work."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from fanfold.archive.people.models import User
from fanfold.archive.reading.models import Bookmark, Kudos, Reading, Subscription
from fanfold.archive.works import services as works
from fanfold.archive.works.services import create_series
from tests.archive.factories import make_work


def test_an_account_leaves_kudos_once_per_work(author: User, reader: User) -> None:
    work = make_work(owner=author)
    Kudos.objects.create(work=work, user=reader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Kudos.objects.create(work=work, user=reader)


def test_a_guest_key_leaves_kudos_once_per_work(author: User) -> None:
    work = make_work(owner=author)
    Kudos.objects.create(work=work, guest_key="k" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        Kudos.objects.create(work=work, guest_key="k" * 64)


@pytest.mark.parametrize("both", [True, False])
def test_a_kudos_is_from_an_account_or_a_guest_never_both_nor_neither(
    author: User, reader: User, both: bool
) -> None:
    work = make_work(owner=author)
    with pytest.raises(IntegrityError), transaction.atomic():
        Kudos.objects.create(
            work=work, user=reader if both else None, guest_key="k" if both else ""
        )


def test_a_kudos_names_its_work(author: User, reader: User) -> None:
    work = make_work(owner=author)
    assert str(Kudos.objects.create(work=work, user=reader)) == f"kudos on work {work.pk}"


def test_a_subscription_follows_exactly_one_thing_once(author: User, reader: User) -> None:
    work = make_work(owner=author)
    Subscription.objects.create(user=reader, work=work)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=reader, work=work)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=reader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=reader, work=work, author=author)
    Subscription.objects.create(user=reader, author=author)
    Subscription.objects.create(user=reader, series=works.create_series(owner=author, title="S"))
    assert Subscription.objects.filter(user=reader).count() == 3


def test_one_reading_per_reader_and_work_and_it_outlives_its_chapter(
    author: User, reader: User
) -> None:
    work = make_work(owner=author, chapters=2)
    second = work.chapters.get(position=2)
    reading = Reading.objects.create(user=reader, work=work, last_chapter=second)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reading.objects.create(user=reader, work=work)
    works.delete_chapter(chapter=second, by=author)
    reading.refresh_from_db()
    assert reading.last_chapter is None


def test_deleting_a_work_takes_its_subscriptions_and_readings(author: User, reader: User) -> None:
    work = make_work(owner=author)
    Subscription.objects.create(user=reader, work=work)
    Reading.objects.create(user=reader, work=work)
    works.delete_work(work=work, by=author)
    assert not Subscription.objects.exists()
    assert not Reading.objects.exists()


# Bookmarks --------------------------------------------------------------------


def test_a_reader_bookmarks_a_work_once(author: User, reader: User) -> None:
    work = make_work(owner=author)
    Bookmark.objects.create(user=reader, work=work)
    with pytest.raises(IntegrityError), transaction.atomic():
        Bookmark.objects.create(user=reader, work=work, is_private=True)


def test_a_reader_bookmarks_a_series_once(author: User, reader: User) -> None:
    series = create_series(owner=author, title="Seasons")
    Bookmark.objects.create(user=reader, series=series)
    with pytest.raises(IntegrityError), transaction.atomic():
        Bookmark.objects.create(user=reader, series=series)


def test_different_readers_bookmark_the_same_work(author: User, reader: User) -> None:
    work = make_work(owner=author)
    Bookmark.objects.create(user=reader, work=work)
    Bookmark.objects.create(user=author, work=work)
    assert Bookmark.objects.filter(work=work).count() == 2


@pytest.mark.parametrize("both", [True, False])
def test_a_bookmark_is_of_a_work_or_a_series_never_both_nor_neither(
    author: User, reader: User, both: bool
) -> None:
    work = make_work(owner=author)
    series = create_series(owner=author, title="Seasons")
    with pytest.raises(IntegrityError), transaction.atomic():
        Bookmark.objects.create(
            user=reader, work=work if both else None, series=series if both else None
        )


def test_a_bookmark_names_what_it_bookmarks(author: User, reader: User) -> None:
    work = make_work(owner=author)
    series = create_series(owner=author, title="Seasons")
    assert str(Bookmark(user=reader, work=work)) == f"bookmark of work {work.pk} by {reader.pk}"
    assert str(Bookmark(user=reader, series=series)) == (
        f"bookmark of series {series.pk} by {reader.pk}"
    )
