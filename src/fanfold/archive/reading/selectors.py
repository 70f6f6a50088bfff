"""Reads of the readers' side: who left kudos, what a reader follows, their history.

The subscriptions and history pages are keyset-paginated (newest first, the
id breaking ties), so a page costs the same few queries on the first page
and the thousandth, however long the list grows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

from django.db.models import Q, QuerySet

from fanfold.archive.people.models import User
from fanfold.archive.reading.models import Kudos, Reading, Subscription
from fanfold.archive.works.models import Series, Work

PAGE_SIZE = 20
_Row = TypeVar("_Row", Reading, Subscription)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

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


# Keyset pages -------------------------------------------------------------------


def cursor_of(moment: datetime, pk: int) -> str:
    """Where the next page starts: after this moment and id (microseconds, then the id).

    >>> cursor_of(datetime(1970, 1, 1, 0, 0, 1, 5, tzinfo=UTC), 42)
    '1000005-42'
    >>> parse_cursor("1000005-42")
    (datetime.datetime(1970, 1, 1, 0, 0, 1, 5, tzinfo=datetime.timezone.utc), 42)
    >>> parse_cursor("nonsense") is None
    True
    """
    return f"{(moment - _EPOCH) // timedelta(microseconds=1)}-{pk}"


def parse_cursor(cursor: str) -> tuple[datetime, int] | None:
    micros, _, pk = cursor.partition("-")
    if not (micros.isdigit() and pk.isdigit()) or len(micros) > 18:
        return None
    return _EPOCH + timedelta(microseconds=int(micros)), int(pk)


@dataclass(frozen=True, slots=True)
class Page(Generic[_Row]):
    rows: list[_Row]
    next_cursor: str | None  # None on the last page


def _keyset_page(rows: QuerySet[_Row], column: str, after: str, size: int) -> Page[_Row]:
    start = parse_cursor(after) if after else None
    if start is not None:
        moment, pk = start
        rows = rows.filter(Q(**{f"{column}__lt": moment}) | Q(**{column: moment, "pk__lt": pk}))
    found = list(rows.order_by(f"-{column}", "-pk")[: size + 1])
    more = len(found) > size
    found = found[:size]
    last = found[-1] if more else None
    return Page(found, cursor_of(getattr(last, column), last.pk) if last else None)


# Subscriptions ------------------------------------------------------------------


def is_subscribed(*, user: User, target: Work | Series | User) -> bool:
    if isinstance(target, Work):
        follows = Q(work=target)
    elif isinstance(target, Series):
        follows = Q(series=target)
    else:
        follows = Q(author=target)
    return Subscription.objects.filter(follows, user=user).exists()


_SUBSCRIPTION_LINE = [
    "user_id",
    "created_at",
    "work__title",
    "work__is_draft",
    "work__is_hidden",
    "work__owner__username",
    "series__title",
    "series__owner__username",
    "author__username",
]


def subscriptions_page(*, user: User, after: str = "", size: int = PAGE_SIZE) -> Page[Subscription]:
    """What ``user`` follows, newest first, with what each line names, in one query."""
    rows = (
        Subscription.objects.filter(user=user)
        .select_related("work", "work__owner", "series", "series__owner", "author")
        .only(*_SUBSCRIPTION_LINE)
    )
    return _keyset_page(rows, "created_at", after, size)


# History and "marked for later" -------------------------------------------------


def reading_of(*, user: User, work: Work) -> Reading | None:
    return Reading.objects.filter(user=user, work=work).first()


_HISTORY_LINE = [
    "user_id",
    "last_read_at",
    "visits",
    "marked_for_later",
    "marked_at",
    "work__title",
    "work__chapter_count",
    "work__is_draft",
    "work__is_hidden",
    "work__owner__username",
    "last_chapter__position",
    "last_chapter__work_id",
]


def history_page(
    *, user: User, later: bool = False, after: str = "", size: int = PAGE_SIZE
) -> Page[Reading]:
    """``user``'s history (or their "marked for later" list), newest first.

    Works since made drafts or hidden drop out (they come back if shown
    again); each line carries its work, author and last chapter.
    """
    rows = Reading.objects.filter(user=user).filter(
        Q(work__is_draft=False, work__is_hidden=False) | Q(work__owner=user)
    )
    shown = Q(marked_for_later=True) if later else Q(last_read_at__isnull=False)
    rows = (
        rows.filter(shown)
        .select_related("work", "work__owner", "last_chapter")
        .only(*_HISTORY_LINE)  # not the chapter's text, nor the work's summary and notes
    )
    return _keyset_page(rows, "marked_at" if later else "last_read_at", after, size)
