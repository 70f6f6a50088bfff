"""``reading.selectors``: who left kudos, names and guests counted apart."""

from __future__ import annotations

from fanfold.archive.people.models import User
from fanfold.archive.reading import selectors, services
from fanfold.archive.reading.selectors import SHOWN_NAMES, KudosSummary
from tests.archive.factories import UserFactory, make_work


def test_names_come_alphabetically_and_guests_are_counted(author: User) -> None:
    work = make_work(owner=author)
    for name in ("wren", "gull", "tally"):
        services.leave_kudos(work=work, user=UserFactory(username=name))
    services.leave_kudos(work=work, guest="k1")
    services.leave_kudos(work=work, guest="k2")
    assert selectors.kudos_summary(work=work) == KudosSummary(["gull", "tally", "wren"], 0, 2)


def test_beyond_the_names_shown_the_rest_are_counted(author: User) -> None:
    work = make_work(owner=author)
    for number in range(SHOWN_NAMES + 3):
        services.leave_kudos(work=work, user=UserFactory(username=f"reader{number:03}"))
    summary = selectors.kudos_summary(work=work)
    assert (len(summary.names), summary.more_accounts) == (SHOWN_NAMES, 3)


def test_whether_a_reader_or_guest_has_left_kudos(author: User, reader: User) -> None:
    work = make_work(owner=author)
    assert not selectors.has_left_kudos(work=work, user=reader)
    services.leave_kudos(work=work, user=reader)
    services.leave_kudos(work=work, guest="k1")
    assert selectors.has_left_kudos(work=work, user=reader)
    assert selectors.has_left_kudos(work=work, guest="k1")
    assert not selectors.has_left_kudos(work=work, guest="k2")
    assert not selectors.has_left_kudos(work=work)
