"""Counters stay right when kudos go by cascade: an account closed, a work deleted."""

from __future__ import annotations

import pytest

from fanfold.archive.people.models import User
from fanfold.archive.reading import services
from fanfold.archive.reading.models import Kudos
from fanfold.archive.works.models import Work
from tests.archive.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db


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


def test_a_deleted_work_goes_with_its_kudos_and_leaves_the_others_counts(
    author: User, reader: User
) -> None:
    gone, kept = make_work(owner=author, title="Gone"), make_work(owner=author, title="Kept")
    for work in (gone, kept):
        services.leave_kudos(work=work, user=reader)
    gone.delete()
    assert list(Work.objects.values_list("title", "kudos_count")) == [("Kept", 1)]
    assert Kudos.objects.count() == 1
