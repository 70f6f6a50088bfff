"""``reading.models``: a kudos comes from one account or one guest, once per work."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from fanfold.archive.people.models import User
from fanfold.archive.reading.models import Kudos
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
