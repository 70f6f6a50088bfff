"""Reading an inbox: a person's entries newest first, a page at a time, and how many are unread.

Pages are keyset-paginated on (created_at, id), the order of the
``inbox_newest_first`` index: the 200th page costs what the first does,
where an OFFSET would read and skip every entry before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db.models import Q, QuerySet

from fanfold.archive.dbrouting import for_reading
from fanfold.archive.inbox.models import InboxEntry
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Work

PER_PAGE = 20  # as AO3's inbox
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CURSOR = re.compile(r"(-?\d{1,17})\.(\d{1,19})")


@dataclass(frozen=True)
class InboxPage:
    entries: list[InboxEntry]
    older: str | None  # the cursor of the next page (older entries), None on the last


def cursor_of(entry: InboxEntry) -> str:
    """Where the page after ``entry`` starts: its time in microseconds and its id.

    >>> cursor_of(InboxEntry(pk=7, created_at=_EPOCH + timedelta(seconds=1)))
    '1000000.7'
    """
    micros = (entry.created_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{entry.pk}"


def parse_cursor(text: str) -> tuple[datetime, int] | None:
    """The (time, id) a cursor names, or None for anything else (a hand-edited URL).

    >>> when, entry_id = parse_cursor("1000000.7")
    >>> when.isoformat(), entry_id
    ('1970-01-01T00:00:01+00:00', 7)
    >>> parse_cursor("yesterday"), parse_cursor("-99999999999999999.1")
    (None, None)
    """
    match = _CURSOR.fullmatch(text)
    if match is None:
        return None
    try:
        when = _EPOCH + timedelta(microseconds=int(match[1]))
    except OverflowError:
        return None
    return when, int(match[2])


def _readable_by(user: User) -> Q:
    """Entries about works the recipient may still read: a work hidden by an admin after
    the news went out is no longer named (nor counted) in anyone's inbox but its author's.
    The entries stay, and come back if the work is shown again."""
    return Q(work__is_draft=False, work__is_hidden=False) | Q(work__owner_id=user.pk)


def entries_of(user: User, *, unread_only: bool = False) -> QuerySet[InboxEntry]:
    """All of ``user``'s entries, newest first, with what each line shows."""
    entries = InboxEntry.objects.filter(_readable_by(user), recipient=user)
    if unread_only:
        entries = entries.filter(read_at__isnull=True)
    return entries.select_related("work", "chapter", "actor").order_by("-created_at", "-id")


def inbox_page(
    *, user: User, unread_only: bool = False, older_than: str = "", per_page: int = PER_PAGE
) -> InboxPage:
    """One page of ``user``'s inbox: the newest, or those older than a cursor."""
    entries = entries_of(user, unread_only=unread_only)
    after = parse_cursor(older_than) if older_than else None
    if after is not None:
        when, entry_id = after
        entries = entries.filter(Q(created_at__lt=when) | Q(created_at=when, id__lt=entry_id))
    rows = list(entries[: per_page + 1])
    older = cursor_of(rows[per_page - 1]) if len(rows) > per_page else None
    return InboxPage(entries=rows[:per_page], older=older)


def unread_count(user: User) -> int:
    """One COUNT on the unread-entries index (joined to the works, which may be hidden).

    The header shows it on every signed-in page: plain SQL, the filter of
    :func:`_readable_by` written out, since the ORM spent longer building the
    query than the database answering it.
    """
    connection = for_reading()
    name = connection.ops.quote_name
    entries, works = (name(model._meta.db_table) for model in (InboxEntry, Work))
    # Only our own quoted table names are formatted in; the values travel as parameters.
    sql = (
        f"SELECT COUNT(*) FROM {entries} e INNER JOIN {works} w ON e.work_id = w.id"  # noqa: S608
        " WHERE e.recipient_id = %s AND e.read_at IS NULL"
        " AND ((w.is_draft = %s AND w.is_hidden = %s) OR w.owner_id = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, False, False, user.pk])
        (count,) = cursor.fetchone()
    return int(count)
