"""``reading.selectors``: who left kudos; what a reader follows; their history, page by page."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from fanfold.archive.people.models import User
from fanfold.archive.reading import selectors, services
from fanfold.archive.reading.models import Reading
from fanfold.archive.reading.selectors import SHOWN_NAMES, KudosSummary
from fanfold.archive.works import services as works
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


def test_the_history_comes_newest_first_page_by_page(author: User, reader: User) -> None:
    now = timezone.now()
    titles = [f"Work {n}" for n in range(5)]
    for n, title in enumerate(titles):
        work = make_work(owner=author, title=title)
        # Two at the same moment: the id breaks the tie, and no line is lost between pages.
        Reading.objects.create(
            user=reader, work=work, last_read_at=now - timedelta(minutes=min(n, 3)), visits=1
        )
    seen: list[str] = []
    after = ""
    while True:
        page = selectors.history_page(user=reader, after=after, size=2)
        seen += [r.work.title for r in page.rows]
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert seen == ["Work 0", "Work 1", "Work 2", "Work 4", "Work 3"]


def test_the_history_leaves_out_works_hidden_since_and_marks_apart(
    author: User, reader: User, admin: User
) -> None:
    shown, hidden = make_work(owner=author, title="Shown"), make_work(owner=author, title="Gone")
    for work in (shown, hidden):
        services.record_reading(user=reader, work=work, chapter=None)
    works.set_work_hidden(work=hidden, by=admin, hidden=True)
    services.mark_for_later(user=reader, work=make_work(owner=author, title="Later"))
    assert [r.work.title for r in selectors.history_page(user=reader).rows] == ["Shown"]
    later = selectors.history_page(user=reader, later=True).rows
    assert [r.work.title for r in later] == ["Later"]
    assert selectors.history_page(user=author).rows == []


def test_a_bad_cursor_starts_at_the_first_page(author: User, reader: User) -> None:
    services.record_reading(user=reader, work=make_work(owner=author), chapter=None)
    assert len(selectors.history_page(user=reader, after="9-x").rows) == 1


def test_subscriptions_come_newest_first_and_say_if_followed(author: User, reader: User) -> None:
    work = make_work(owner=author)
    series = works.create_series(owner=author, title="Tides")
    services.subscribe(user=reader, target=work)
    services.subscribe(user=reader, target=series)
    assert selectors.is_subscribed(user=reader, target=work)
    assert selectors.is_subscribed(user=reader, target=series)
    assert not selectors.is_subscribed(user=reader, target=author)
    rows = selectors.subscriptions_page(user=reader).rows
    assert [(s.work, s.series) for s in rows] == [(None, series), (work, None)]
