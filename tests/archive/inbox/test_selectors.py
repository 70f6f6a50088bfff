"""Reading an inbox.

``inbox.selectors`` promises a person's own entries newest first, a page at
a time through a cursor that never skips or repeats an entry (even among
entries made in the same microsecond), an unread-only view, and the count of
unread entries; a cursor made up by hand is the first page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from fanfold.archive.inbox import selectors, services
from fanfold.archive.inbox.models import InboxEntry, Kind
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Work
from tests.archive.factories import make_work

pytestmark = pytest.mark.django_db


def fill(recipient: User, work: Work, count: int) -> list[int]:
    """``count`` comment entries, the later ids the newer; two share each timestamp."""
    for comment_id in range(1, count + 1):
        services.deliver(
            recipients=[recipient], kind=Kind.COMMENT, work=work, comment_id=comment_id
        )
    entries = list(InboxEntry.objects.filter(recipient=recipient).order_by("id"))
    start = timezone.now()
    for n, entry in enumerate(entries):
        entry.created_at = start + timedelta(seconds=n // 2)
    InboxEntry.objects.bulk_update(entries, ["created_at"])
    return [e.pk for e in reversed(entries)]


def test_pages_walk_every_entry_newest_first_exactly_once(author: User, reader: User) -> None:
    work = make_work(owner=author)
    newest_first = fill(author, work, 7)
    fill(reader, work, 2)  # someone else's never show
    seen: list[int] = []
    cursor = ""
    while True:
        page = selectors.inbox_page(user=author, older_than=cursor, per_page=3)
        seen += [e.pk for e in page.entries]
        if page.older is None:
            break
        cursor = page.older
    assert seen == newest_first


def test_unread_only_and_the_unread_count(author: User) -> None:
    work = make_work(owner=author)
    ids = fill(author, work, 4)
    services.mark_read(user=author, entry_ids=ids[:2])
    assert selectors.unread_count(author) == 2
    page = selectors.inbox_page(user=author, unread_only=True)
    assert [e.pk for e in page.entries] == ids[2:]
    assert page.older is None


@pytest.mark.parametrize("cursor", ["yesterday", "1.2.3", "-5", "99999999999999999.1", "1e9.1"])
def test_a_made_up_cursor_is_the_first_page(author: User, cursor: str) -> None:
    work = make_work(owner=author)
    ids = fill(author, work, 2)
    assert [e.pk for e in selectors.inbox_page(user=author, older_than=cursor).entries] == ids


def test_news_of_a_work_hidden_since_is_neither_shown_nor_counted(
    author: User, reader: User, admin: User
) -> None:
    from fanfold.archive.works.services import set_work_hidden

    work = make_work(owner=author, title="Soon Hidden")
    services.deliver(recipients=[reader], kind=Kind.WORK, work=work, actor=author)
    assert selectors.unread_count(reader) == 1
    set_work_hidden(work=work, by=admin, hidden=True)
    assert selectors.unread_count(reader) == 0
    assert selectors.inbox_page(user=reader).entries == []
    set_work_hidden(work=work, by=admin, hidden=False)
    assert [e.work.title for e in selectors.inbox_page(user=reader).entries] == ["Soon Hidden"]
