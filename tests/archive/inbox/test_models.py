"""Inbox entries: what a line names, and what goes when its work, chapter or people go."""

from __future__ import annotations

import pytest

from fanfold.archive.inbox.models import InboxEntry, Kind
from fanfold.archive.people.models import User
from tests.archive.factories import make_work

pytestmark = pytest.mark.django_db


def test_an_entry_names_its_kind_recipient_and_work(author: User, reader: User) -> None:
    work = make_work(owner=author)
    entry = InboxEntry.objects.create(recipient=reader, kind=Kind.WORK, work=work)
    assert str(entry) == f"work for {reader.pk} on work {work.pk}"


def test_a_deleted_work_takes_its_entries_and_a_closed_actor_keeps_the_name(
    author: User, reader: User
) -> None:
    work = make_work(owner=author)
    InboxEntry.objects.create(
        recipient=author,
        kind=Kind.COMMENT,
        work=work,
        comment_id=1,
        actor=reader,
        actor_name="reader",
    )
    reader.delete()
    assert InboxEntry.objects.get().actor_name == "reader"
    work.delete()
    assert not InboxEntry.objects.exists()


def test_an_entry_leads_to_its_chapter_or_work_and_to_the_comments_place(author: User) -> None:
    work = make_work(owner=author)
    chapter = work.chapters.get()
    on_chapter = InboxEntry(
        recipient=author, kind=Kind.COMMENT, work=work, chapter=chapter, comment_id=9
    )
    on_work = InboxEntry(recipient=author, kind=Kind.COMMENT, work=work, comment_id=10)
    new_work = InboxEntry(recipient=author, kind=Kind.WORK, work=work)
    assert on_chapter.get_absolute_url() == f"/works/{work.pk}/chapters/{chapter.pk}/#comment-9"
    assert on_work.get_absolute_url() == f"/works/{work.pk}/#comment-10"
    assert new_work.get_absolute_url() == f"/works/{work.pk}/"
    assert not new_work.is_read


def test_a_notice_about_an_account_alone_leads_to_the_inbox(reader: User) -> None:
    entry = InboxEntry.objects.create(recipient=reader, kind=Kind.NOTICE, work=None, notice_id=7)
    assert entry.get_absolute_url() == "/inbox/"
