"""``reading.services``: leaving kudos once, never on one's own work, counted on the work."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from fanfold.archive.people.models import User
from fanfold.archive.reading import services
from fanfold.archive.works.models import Work
from tests.archive.factories import make_work


def kudos_count(work: Work) -> int:
    return Work.objects.get(pk=work.pk).kudos_count


def test_kudos_are_counted_on_the_work_once_per_reader(author: User, reader: User) -> None:
    work = make_work(owner=author)
    assert services.leave_kudos(work=work, user=reader) is True
    assert services.leave_kudos(work=work, user=reader) is False
    assert kudos_count(work) == 1


def test_guests_count_once_per_address_and_apart_from_accounts(author: User, reader: User) -> None:
    work = make_work(owner=author)
    one = services.guest_key(address="203.0.113.9", work=work)
    other = services.guest_key(address="198.51.100.7", work=work)
    assert services.leave_kudos(work=work, guest=one)
    assert not services.leave_kudos(work=work, guest=one)
    assert services.leave_kudos(work=work, guest=other)
    assert services.leave_kudos(work=work, user=reader)
    assert kudos_count(work) == 3


def test_an_author_cannot_leave_kudos_on_their_own_work(author: User) -> None:
    work = make_work(owner=author)
    with pytest.raises(ValidationError, match="your own work"):
        services.leave_kudos(work=work, user=author)
    assert kudos_count(work) == 0


def test_a_guest_key_keeps_no_address_and_differs_from_work_to_work(author: User) -> None:
    first, second = make_work(owner=author), make_work(owner=author, title="Another")
    key = services.guest_key(address="203.0.113.9", work=first)
    assert "203.0.113.9" not in key
    assert len(key) == 64
    assert key == services.guest_key(address="203.0.113.9", work=first)
    assert key != services.guest_key(address="203.0.113.9", work=second)


def test_kudos_come_from_an_account_or_a_guest(author: User, reader: User) -> None:
    work = make_work(owner=author)
    with pytest.raises(ValueError, match="one of them"):
        services.leave_kudos(work=work)
    with pytest.raises(ValueError, match="one of them"):
        services.leave_kudos(work=work, user=reader, guest="k")
