"""Delivering to inboxes: once per person and thing, never to the actor.

Entries are marked read and cleared by their recipient alone.
"""

from __future__ import annotations

import pytest

from fanfold.archive.inbox import services
from fanfold.archive.inbox.models import EXCERPT_MAX, InboxEntry, Kind
from fanfold.archive.people.models import User
from tests.archive.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db


def inbox_of(user: User) -> list[tuple[str, str, str]]:
    entries = InboxEntry.objects.filter(recipient=user).order_by("id")
    return [(e.kind, e.actor_name, e.excerpt) for e in entries]


def test_a_comment_reaches_each_recipient_once_and_never_its_writer(
    author: User, reader: User
) -> None:
    work = make_work(owner=author)
    for _ in range(2):  # a replayed request
        services.deliver(
            recipients=[author, reader.pk],
            kind=Kind.COMMENT,
            work=work,
            comment_id=7,
            actor=reader,
            excerpt="Loved   the\nending.",
        )
    assert inbox_of(author) == [("comment", "reader", "Loved the ending.")]
    assert inbox_of(reader) == []


def test_a_chapter_and_a_work_are_delivered_once_each(author: User, reader: User) -> None:
    work = make_work(owner=author)
    chapter = work.chapters.get()
    for _ in range(2):
        services.deliver(recipients=[reader], kind=Kind.WORK, work=work, actor=author)
        services.deliver(recipients=[reader], kind=Kind.CHAPTER, work=work, chapter=chapter)
    assert [kind for kind, _, _ in inbox_of(reader)] == ["work", "chapter"]


def test_a_guest_is_named_and_a_long_text_is_cut_at_a_word(author: User) -> None:
    work = make_work(owner=author)
    services.deliver(
        recipients=[author],
        kind=Kind.COMMENT,
        work=work,
        comment_id=1,
        actor_name="A guest",
        excerpt="wonderful " * 100,
    )
    [(_, name, excerpt)] = inbox_of(author)
    assert name == "A guest"
    assert len(excerpt) <= EXCERPT_MAX
    assert excerpt.endswith("wonderful…")


def test_only_the_recipient_marks_read_unread_and_deletes(author: User, reader: User) -> None:
    work = make_work(owner=author)
    services.deliver(recipients=[author], kind=Kind.COMMENT, work=work, comment_id=3, actor=reader)
    entry = InboxEntry.objects.get()
    assert services.mark_read(user=reader, entry_ids=[entry.pk]) == 0
    assert services.mark_read(user=author, entry_ids=[entry.pk]) == 1
    entry.refresh_from_db()
    assert entry.read_at is not None
    services.mark_read(user=author, entry_ids=[entry.pk], read=False)
    entry.refresh_from_db()
    assert entry.read_at is None
    assert services.delete_entries(user=reader, entry_ids=[entry.pk]) == 0
    assert services.delete_entries(user=author, entry_ids=[entry.pk]) == 1


def test_forgetting_a_comment_removes_its_entries_from_every_inbox(author: User) -> None:
    work = make_work(owner=author)
    other = UserFactory(username="other")
    services.deliver(recipients=[author, other], kind=Kind.REPLY, work=work, comment_id=5)
    services.deliver(recipients=[author], kind=Kind.COMMENT, work=work, comment_id=6)
    services.forget_comments([5])
    assert list(InboxEntry.objects.values_list("comment_id", flat=True)) == [6]


def test_notices_about_one_work_each_arrive_and_each_only_once(author: User) -> None:
    work = make_work(owner=author)
    for notice_id in (1, 2, 2):  # hidden, restored, the restore replayed
        services.deliver(
            recipients=[author], kind=Kind.NOTICE, work=work, notice_id=notice_id, excerpt="x"
        )
    services.deliver(recipients=[author], kind=Kind.NOTICE, work=None, notice_id=3, excerpt="y")
    assert sorted(InboxEntry.objects.values_list("notice_id", flat=True)) == [1, 2, 3]
