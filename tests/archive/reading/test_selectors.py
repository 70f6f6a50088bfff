"""``reading.selectors``: who left kudos; bookmarks as each viewer may see them (private ones
by their bookmarker only); what a reader follows; their history, page by page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from fanfold.archive.people.models import User
from fanfold.archive.reading import selectors, services
from fanfold.archive.reading.models import Bookmark, Reading
from fanfold.archive.reading.selectors import SHOWN_NAMES, KudosSummary
from fanfold.archive.reading.services import BookmarkFields
from fanfold.archive.works import services as works
from fanfold.archive.works.models import Series, Work
from tests.archive.factories import UserFactory, add_works_to_series, make_work


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


# Bookmarks --------------------------------------------------------------------


def bookmark(user: User, work: Work, *, private: bool = False) -> Bookmark:
    return services.save_bookmark(
        user=user, work=work, fields=BookmarkFields(is_private=private, tags=("mine",))
    )


def a_series(owner: User, title: str = "Seasons") -> Series:
    series = works.create_series(owner=owner, title=title)
    add_works_to_series(owner=owner, series=series, count=1)
    return series


def test_a_reader_finds_their_own_bookmark_of_a_work_or_a_series(
    author: User, reader: User
) -> None:
    work, series = make_work(owner=author), a_series(author)
    assert selectors.bookmark_of(user=reader, work_id=work.pk) is None
    mine = bookmark(reader, work, private=True)
    found = selectors.bookmark_of(user=reader, work_id=work.pk)
    assert found == mine
    assert found is not None
    assert [tag.name for tag in found.tags.all()] == ["mine"]
    assert selectors.bookmark_of(user=author, work_id=work.pk) is None
    assert selectors.bookmark_of(user=AnonymousUser(), work_id=work.pk) is None
    saved = services.save_bookmark(user=reader, series=series, fields=BookmarkFields())
    assert selectors.bookmark_of(user=reader, series_id=series.pk) == saved
    with pytest.raises(ValueError, match="one of them"):
        selectors.bookmark_of(user=reader)


def test_others_see_public_bookmarks_of_works_and_the_bookmarker_all(
    author: User, reader: User
) -> None:
    public, private = make_work(owner=author), make_work(owner=author, title="Secret")
    bookmark(reader, public)
    bookmark(reader, private, private=True)
    ids = [public.pk, private.pk]
    mine = selectors.bookmarks_of_works(bookmarker=reader, work_ids=ids, viewer=reader)
    theirs = selectors.bookmarks_of_works(bookmarker=reader, work_ids=ids, viewer=author)
    strangers = selectors.bookmarks_of_works(
        bookmarker=reader, work_ids=ids, viewer=AnonymousUser()
    )
    assert set(mine) == {public.pk, private.pk}
    assert set(theirs) == set(strangers) == {public.pk}


def test_series_bookmarks_show_only_series_the_viewer_may_see(author: User, reader: User) -> None:
    open_series = a_series(author, "Open")
    members = works.create_series(owner=author, title="Members")
    restricted = make_work(owner=author, title="Members only", restricted=True)
    works.join_series(work=restricted, by=author, series=members)
    private = a_series(author, "Private")
    for series, is_private in ((open_series, False), (members, False), (private, True)):
        services.save_bookmark(
            user=reader, series=series, fields=BookmarkFields(is_private=is_private)
        )

    def titles(viewer: User | AnonymousUser) -> list[str]:
        shown = selectors.series_bookmarks(bookmarker=reader, viewer=viewer)
        return [mark.series.title for mark in shown if mark.series is not None]

    assert titles(reader) == ["Private", "Members", "Open"]
    assert titles(author) == ["Members", "Open"]
    assert titles(AnonymousUser()) == ["Open"]


def test_a_works_public_bookmarks_come_newest_first_in_keyset_pages(author: User) -> None:
    work = make_work(owner=author)
    readers = [UserFactory(username=f"reader{n}") for n in range(5)]
    for person in readers:
        bookmark(person, work)
    bookmark(UserFactory(username="hider"), work, private=True)
    first = selectors.public_bookmarks(work=work, per_page=3)
    assert [b.user.username for b in first.bookmarks] == ["reader4", "reader3", "reader2"]
    assert first.next_after == first.bookmarks[-1].pk
    second = selectors.public_bookmarks(work=work, after=first.next_after, per_page=3)
    assert [b.user.username for b in second.bookmarks] == ["reader1", "reader0"]
    assert second.next_after is None
