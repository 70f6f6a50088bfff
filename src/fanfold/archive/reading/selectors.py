"""Reads of what readers leave: who left kudos on a work, and bookmarks.

Bookmarks follow two rules of who sees what: a private bookmark is seen by
its bookmarker only, and a bookmark is seen only by those who may see what
it bookmarks (no draft or hidden work, no restricted work for strangers,
no series without a work the viewer may see).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from fanfold.archive.people.models import User
from fanfold.archive.reading.models import Bookmark, Kudos
from fanfold.archive.tags.models import Tag
from fanfold.archive.works.models import Series, Work
from fanfold.archive.works.selectors import Viewer, listed_works

SHOWN_NAMES = 50  # names listed under a work; the rest are counted


@dataclass(frozen=True, slots=True)
class KudosSummary:
    names: list[str]  # accounts, alphabetical, at most SHOWN_NAMES
    more_accounts: int  # accounts beyond those names
    guests: int


def kudos_summary(*, work: Work) -> KudosSummary:
    accounts = Kudos.objects.filter(work=work, user__isnull=False)
    names = list(
        User.objects.filter(pk__in=accounts.values("user_id"))
        .order_by("username")
        .values_list("username", flat=True)[:SHOWN_NAMES]
    )
    total_accounts = accounts.count()
    guests = Kudos.objects.filter(work=work, user__isnull=True).count()
    return KudosSummary(names, total_accounts - len(names), guests)


def has_left_kudos(*, work: Work, user: User | None = None, guest: str = "") -> bool:
    if user is not None:
        return Kudos.objects.filter(work=work, user=user).exists()
    return bool(guest) and Kudos.objects.filter(work=work, guest_key=guest).exists()


# Bookmarks --------------------------------------------------------------------

BOOKMARKS_PER_PAGE = 20
SERIES_BOOKMARKS_SHOWN = 100  # on a reader's bookmarks page; AO3 readers keep far fewer


def _with_tags(bookmarks: QuerySet[Bookmark]) -> QuerySet[Bookmark]:
    return bookmarks.prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))


def bookmark_of(
    *, user: Viewer, work_id: int | None = None, series_id: int | None = None
) -> Bookmark | None:
    """The viewer's own bookmark of this work or series, if they have one."""
    if not isinstance(user, User):
        return None
    if work_id is not None:
        bookmarks = Bookmark.objects.filter(user=user, work_id=work_id)
    elif series_id is not None:
        bookmarks = Bookmark.objects.filter(user=user, series_id=series_id)
    else:
        raise ValueError("a bookmark is of a work or of a series, one of them")
    return _with_tags(bookmarks.select_related("work", "series")).first()


def _shown_to(viewer: Viewer, bookmarker: User) -> QuerySet[Bookmark]:
    bookmarks = Bookmark.objects.filter(user=bookmarker).select_related("user")
    return bookmarks if viewer.pk == bookmarker.pk else bookmarks.filter(is_private=False)


def bookmarks_of_works(
    *, bookmarker: User, work_ids: Iterable[int], viewer: Viewer
) -> dict[int, Bookmark]:
    """The bookmarker's bookmarks of these works as the viewer may see them, by work id.

    The works come from a listing that applied the works' visibility already.
    """
    bookmarks = _shown_to(viewer, bookmarker).filter(work_id__in=list(work_ids))
    return {bookmark.work_id: bookmark for bookmark in _with_tags(bookmarks) if bookmark.work_id}


def series_bookmarks(*, bookmarker: User, viewer: Viewer) -> list[Bookmark]:
    """The bookmarker's series bookmarks the viewer may see, newest first (the first 100)."""
    visible = Series.objects.filter(parts__work__in=listed_works(viewer=viewer).values("pk"))
    bookmarks = _shown_to(viewer, bookmarker).filter(series__in=visible.values("pk"))
    return list(
        _with_tags(bookmarks.select_related("series", "series__owner")).order_by("-pk")[
            :SERIES_BOOKMARKS_SHOWN
        ]
    )


@dataclass(frozen=True)
class BookmarkPage:
    bookmarks: list[Bookmark]
    next_after: int | None  # the id the next page starts after


def public_bookmarks(
    *, work: Work, after: int | None = None, per_page: int = BOOKMARKS_PER_PAGE
) -> BookmarkPage:
    """A work's public bookmarks, newest first, a keyset page after bookmark ``after``.

    The caller has checked the viewer may read the work.
    """
    bookmarks = Bookmark.objects.filter(work=work, is_private=False)
    if after is not None:
        bookmarks = bookmarks.filter(pk__lt=after)
    rows = list(_with_tags(bookmarks.select_related("user")).order_by("-pk")[: per_page + 1])
    more = len(rows) > per_page
    rows = rows[:per_page]
    return BookmarkPage(rows, rows[-1].pk if more and rows else None)
