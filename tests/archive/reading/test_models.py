"""``reading.models``: kudos once a work; a subscription to one thing, once; one reading a work."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from fanfold.archive.people.models import User
from fanfold.archive.reading.models import Kudos, Reading, Subscription
from fanfold.archive.works import services as works
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
