"""Reads of works, chapters and series, with who may see what applied in the query.

``fanfold.archive.works.selectors`` promises: a draft exists for its author
only; a work hidden by an admin is seen by its author and admins only; a
restricted work is for logged-in readers (a stranger gets
``RestrictedWorkError``, to be sent to log in); listings show posted,
unhidden works, most recently updated first, and an author's own page
adds their drafts; only a work's author gets it for editing; a series is
seen through the works in it the viewer may see, and a work's place in a
series counts only those.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from fanfold.archive.people.models import User
from fanfold.archive.works import selectors, services
from fanfold.archive.works.models import Series, Work
from tests.archive.factories import make_work

STRANGER = AnonymousUser()


def in_series(series: Series, *works: Work) -> None:
    for work in works:
        services.join_series(work=work, by=work.owner, series=series)


def hidden(work: Work, admin: User) -> Work:
    return services.set_work_hidden(work=work, by=admin, hidden=True)


def titles(rows: Iterable[Work] | Iterable[Series]) -> list[str]:
    return [row.title for row in rows]


# Reading one work -------------------------------------------------------------


def test_a_posted_work_is_read_by_everyone(author: User, reader: User) -> None:
    work = make_work(owner=author)
    for viewer in (author, reader, STRANGER):
        assert selectors.work_for_reading(work_id=work.pk, viewer=viewer) == work


def test_a_draft_exists_for_its_author_only(author: User, reader: User, admin: User) -> None:
    work = make_work(owner=author, post=False)
    assert selectors.work_for_reading(work_id=work.pk, viewer=author) == work
    for viewer in (reader, admin, STRANGER):
        assert selectors.work_for_reading(work_id=work.pk, viewer=viewer) is None


def test_a_hidden_work_is_seen_by_its_author_and_admins_only(
    author: User, reader: User, admin: User
) -> None:
    work = hidden(make_work(owner=author), admin)
    assert selectors.work_for_reading(work_id=work.pk, viewer=author) == work
    assert selectors.work_for_reading(work_id=work.pk, viewer=admin) == work
    assert selectors.work_for_reading(work_id=work.pk, viewer=reader) is None
    assert selectors.work_for_reading(work_id=work.pk, viewer=STRANGER) is None


def test_a_stranger_at_a_restricted_work_is_asked_to_log_in(author: User, reader: User) -> None:
    work = make_work(owner=author, restricted=True)
    assert selectors.work_for_reading(work_id=work.pk, viewer=reader) == work
    with pytest.raises(selectors.RestrictedWorkError):
        selectors.work_for_reading(work_id=work.pk, viewer=STRANGER)


def test_a_restricted_draft_gives_a_stranger_no_hint_it_exists(author: User) -> None:
    work = make_work(owner=author, restricted=True, post=False)
    assert selectors.work_for_reading(work_id=work.pk, viewer=STRANGER) is None


def test_a_work_that_does_not_exist_is_none(db: None) -> None:
    assert selectors.work_for_reading(work_id=999_999, viewer=STRANGER) is None


def test_only_the_author_gets_a_work_for_editing(author: User, reader: User, admin: User) -> None:
    work = make_work(owner=author, post=False)
    assert selectors.work_for_editing(work_id=work.pk, user=author) == work
    for user in (reader, admin, STRANGER):
        assert selectors.work_for_editing(work_id=work.pk, user=user) is None


def test_draft_chapters_are_read_by_the_author_only(author: User, reader: User) -> None:
    work = make_work(owner=author, chapters=2)
    draft = services.add_chapter(
        work=work, by=author, fields=services.ChapterFields(body="Not ready yet."), post=False
    )
    first, second = work.chapters.filter(is_draft=False).order_by("position")
    assert selectors.readable_chapters(work=work, viewer=author) == [first, second, draft]
    assert selectors.readable_chapters(work=work, viewer=reader) == [first, second]
    assert selectors.readable_chapters(work=work, viewer=STRANGER) == [first, second]


# Listings ---------------------------------------------------------------------


def test_listings_show_posted_unhidden_works_restricted_ones_to_members_only(
    author: User, reader: User, admin: User
) -> None:
    make_work(owner=author, title="Public")
    make_work(owner=author, title="Members", restricted=True)
    make_work(owner=author, title="Draft", post=False)
    hidden(make_work(owner=author, title="Hidden"), admin)
    assert sorted(titles(selectors.listed_works(viewer=STRANGER))) == ["Public"]
    assert sorted(titles(selectors.listed_works(viewer=reader))) == ["Members", "Public"]
    assert sorted(titles(selectors.listed_works(viewer=author))) == ["Members", "Public"]


def test_listings_put_the_most_recently_updated_first(author: User, reader: User) -> None:
    older, newer = make_work(owner=author, title="Older"), make_work(owner=author, title="Newer")
    now = timezone.now()
    Work.objects.filter(pk=older.pk).update(updated_at=now - timedelta(days=2))
    Work.objects.filter(pk=newer.pk).update(updated_at=now - timedelta(days=1))
    assert titles(selectors.listed_works(viewer=reader)) == ["Newer", "Older"]


def test_an_authors_own_page_adds_drafts_and_hidden_works_drafts_first(
    author: User, reader: User, admin: User
) -> None:
    make_work(owner=author, title="Posted")
    make_work(owner=author, title="Draft", post=False)
    hidden(make_work(owner=author, title="Hidden"), admin)
    make_work(owner=reader, title="Someone else's")
    own = titles(selectors.works_by_author(author=author, viewer=author))
    assert own[0] == "Draft"
    assert sorted(own) == ["Draft", "Hidden", "Posted"]
    assert titles(selectors.works_by_author(author=author, viewer=reader)) == ["Posted"]
    assert titles(selectors.works_by_author(author=author, viewer=admin)) == ["Posted"]


def test_works_in_order_keeps_the_order_asked_and_skips_ids_that_are_gone(author: User) -> None:
    first, second = make_work(owner=author, title="First"), make_work(owner=author, title="Two")
    assert titles(
        selectors.works_in_order([second.pk, 999_999, first.pk], viewer=AnonymousUser())
    ) == ["Two", "First"]


# Series -----------------------------------------------------------------------


def test_a_works_place_in_a_series_counts_only_the_parts_the_viewer_sees(
    author: User, reader: User
) -> None:
    series = services.create_series(owner=author, title="Netherfield Letters")
    one = make_work(owner=author, title="One")
    draft = make_work(owner=author, title="Draft", post=False)
    three = make_work(owner=author, title="Three")
    four = make_work(owner=author, title="Four")
    in_series(series, one, draft, three, four)

    (place,) = selectors.series_places(work=three, viewer=reader)
    assert (place.series, place.position, place.previous, place.next) == (series, 2, one, four)
    (own,) = selectors.series_places(work=three, viewer=author)
    assert (own.position, own.previous, own.next) == (3, draft, four)
    (first,) = selectors.series_places(work=one, viewer=reader)
    assert (first.position, first.previous, first.next) == (1, None, three)


def test_a_work_in_two_series_has_a_place_in_each(author: User, reader: User) -> None:
    work = make_work(owner=author)
    for title in ("Letters", "Walks"):
        in_series(services.create_series(owner=author, title=title), work)
    places = selectors.series_places(work=work, viewer=reader)
    assert sorted(place.series.title for place in places) == ["Letters", "Walks"]
    assert {place.position for place in places} == {1}


def test_a_draft_has_no_place_in_a_series_for_readers(author: User, reader: User) -> None:
    series = services.create_series(owner=author, title="Letters")
    draft = make_work(owner=author, post=False)
    in_series(series, draft)
    assert selectors.series_places(work=draft, viewer=reader) == []


def test_a_series_shows_readers_only_the_parts_they_may_see(
    author: User, reader: User, admin: User
) -> None:
    series = services.create_series(owner=author, title="Letters")
    works = [
        make_work(owner=author, title="Public"),
        make_work(owner=author, title="Members", restricted=True),
        make_work(owner=author, title="Draft", post=False),
        hidden(make_work(owner=author, title="Hidden"), admin),
    ]
    in_series(series, *works)

    def parts(viewer: selectors.Viewer) -> list[str]:
        return [p.work.title for p in selectors.visible_parts(series=series, viewer=viewer)]

    assert parts(author) == ["Public", "Members", "Draft", "Hidden"]
    assert parts(reader) == ["Public", "Members"]
    assert parts(STRANGER) == ["Public"]


def test_a_series_of_drafts_exists_for_its_author_only(author: User, reader: User) -> None:
    series = services.create_series(owner=author, title="Unfinished")
    in_series(series, make_work(owner=author, post=False))
    assert selectors.series_for_reading(series_id=series.pk, viewer=author) == series
    assert selectors.series_for_reading(series_id=series.pk, viewer=reader) is None
    empty = services.create_series(owner=author, title="Nothing yet")
    assert selectors.series_for_reading(series_id=empty.pk, viewer=author) == empty
    assert selectors.series_for_reading(series_id=empty.pk, viewer=reader) is None
    assert selectors.series_for_reading(series_id=999_999, viewer=author) is None


def test_a_series_with_one_readable_work_is_read_by_everyone(author: User) -> None:
    series = services.create_series(owner=author, title="Letters")
    in_series(series, make_work(owner=author, post=False), make_work(owner=author, title="Out"))
    assert selectors.series_for_reading(series_id=series.pk, viewer=STRANGER) == series


def test_only_the_author_gets_a_series_for_editing(author: User, reader: User) -> None:
    series = services.create_series(owner=author, title="Letters")
    assert selectors.series_for_editing(series_id=series.pk, user=author) == series
    assert selectors.series_for_editing(series_id=series.pk, user=reader) is None
    assert selectors.series_for_editing(series_id=series.pk, user=STRANGER) is None


def test_an_authors_series_list_shows_others_only_series_with_visible_works(
    author: User, reader: User
) -> None:
    drafts = services.create_series(owner=author, title="Drafts")
    in_series(drafts, make_work(owner=author, title="D", post=False))
    posted = services.create_series(owner=author, title="Posted")
    in_series(posted, *(make_work(owner=author, title=f"P{n}") for n in range(2)))
    services.create_series(owner=author, title="Empty")
    services.create_series(owner=reader, title="Someone else's")
    assert titles(selectors.series_of_author(author=author, viewer=author)) == [
        "Drafts",
        "Empty",
        "Posted",
    ]
    assert titles(selectors.series_of_author(author=author, viewer=reader)) == ["Posted"]


def test_works_titled_finds_the_owner_s_works_in_any_case_newest_first_with_their_text(
    author: User, reader: User
) -> None:
    older = make_work(owner=author, title="Fog", body="The first fog.")
    newer = make_work(owner=author, title="FOG", body="The second fog.", post=False)
    make_work(owner=reader, title="Fog")
    make_work(owner=author, title="Mist")
    found = selectors.works_titled(owner_id=author.pk, title="fog")
    assert [(work, "fog." in body) for work, body in found] == [(newer, True), (older, True)]
    assert selectors.works_titled(owner_id=author.pk, title="fog", limit=1) == [found[0]]
