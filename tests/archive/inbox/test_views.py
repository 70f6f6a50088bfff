"""The inbox page, as its owner and others use it.

``inbox.views.inbox`` promises the logged-in person their own entries only
(newest first, unread ones marked, each linking to its chapter or work and a
comment's place there), an unread-only view, older pages through a cursor,
marking ticked entries read or unread and deleting them (never anyone
else's) with a message, strangers sent to log in, and the same number of
queries whether the inbox holds 3 entries or 300.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.archive.comments.models import Comment
from fanfold.archive.comments.services import post_comment
from fanfold.archive.inbox import services
from fanfold.archive.inbox.models import InboxEntry, Kind
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Work
from tests.archive.conftest import queries_for
from tests.archive.factories import UserFactory, make_work

INBOX = reverse("inbox:inbox")


def comments(recipient: User, work: Work, ids: range, actor: User | None = None) -> None:
    for comment_id in ids:
        services.deliver(
            recipients=[recipient],
            kind=Kind.COMMENT,
            work=work,
            chapter=work.chapters.first(),
            comment_id=comment_id,
            actor=actor,
            actor_name="" if actor else "Guest Gwen",
            excerpt=f"Comment number {comment_id}.",
        )


@pytest.fixture
def mail_for_author(author: User, reader: User) -> Work:
    work = make_work(owner=author, title="Harbour Lights")
    comments(author, work, range(1, 3), actor=reader)
    comments(author, work, range(3, 4))
    comments(reader, work, range(50, 51), actor=author)
    return work


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("as_author", 200), ("as_reader", 200), ("as_admin", 200), ("as_stranger", 302)],
)
def test_the_inbox_is_for_the_logged_in(
    request: pytest.FixtureRequest, persona: str, expected: int
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.get(INBOX)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("people:login"))


def test_each_person_sees_only_their_own_entries_newest_first(
    as_author: Client, as_reader: Client, as_admin: Client, mail_for_author: Work
) -> None:
    page = as_author.get(INBOX).content.decode()
    assert page.index("Comment number 3.") < page.index("Comment number 1.")
    assert "Guest Gwen" in page
    assert "Comment number 50." not in page
    chapter = mail_for_author.chapters.get()
    assert f'href="/works/{mail_for_author.pk}/chapters/{chapter.pk}/#comment-2"' in page
    reader_page = as_reader.get(INBOX).content.decode()
    assert "Comment number 50." in reader_page
    assert "Comment number 1." not in reader_page
    assert "Comment number" not in as_admin.get(INBOX).content.decode()


def test_ticked_entries_are_marked_read_and_unread_and_deleted(
    as_author: Client, author: User, mail_for_author: Work
) -> None:
    first, second, third = InboxEntry.objects.filter(recipient=author).order_by("id")
    done = as_author.post(INBOX, {"action": "read", "entry": [first.pk, second.pk]}, follow=True)
    assert "2 entries marked read." in done.content.decode()
    assert "Inbox (1 unread)" in done.content.decode()
    unread = as_author.get(INBOX, {"show": "unread"}).content.decode()
    assert "Comment number 3." in unread
    assert "Comment number 1." not in unread
    as_author.post(INBOX, {"action": "unread", "entry": [first.pk]})
    first.refresh_from_db()
    assert first.read_at is None
    deleted = as_author.post(INBOX, {"action": "delete", "entry": [third.pk]}, follow=True)
    assert "1 entry deleted." in deleted.content.decode()
    assert not InboxEntry.objects.filter(pk=third.pk).exists()


def test_nobody_marks_or_deletes_anothers_entries(
    as_reader: Client, as_stranger: Client, author: User, mail_for_author: Work
) -> None:
    theirs = list(InboxEntry.objects.filter(recipient=author).values_list("pk", flat=True))
    response = as_reader.post(INBOX, {"action": "delete", "entry": theirs}, follow=True)
    assert "0 entries deleted." in response.content.decode()
    as_reader.post(INBOX, {"action": "read", "entry": theirs})
    assert as_stranger.post(INBOX, {"action": "delete", "entry": theirs}).status_code == 302
    assert InboxEntry.objects.filter(recipient=author, read_at=None).count() == 3


def test_acting_on_nothing_ticked_says_so(as_author: Client, mail_for_author: Work) -> None:
    response = as_author.post(INBOX, {"action": "read"}, follow=True)
    assert "Tick the entries to act on first." in response.content.decode()


def test_older_entries_are_a_page_further(as_author: Client, author: User) -> None:
    work = make_work(owner=author)
    comments(author, work, range(1, 26))  # a page holds 20
    first = as_author.get(INBOX)
    assert "Comment number 25." in first.content.decode()
    assert "Comment number 5." not in first.content.decode()
    older = first.context["page"].older
    second = as_author.get(INBOX, {"older": older}).content.decode()
    assert "Comment number 5." in second
    assert "Comment number 6." not in second
    assert "Newest" in second


def make_entries(recipient: User, count: int, start: int) -> None:
    """Comments and replies, on chapters and whole works, from accounts and guests."""
    actor = UserFactory()
    work = make_work(owner=recipient, title=f"Work {start}", chapters=2)
    chapter = work.chapters.last()
    InboxEntry.objects.bulk_create(
        InboxEntry(
            recipient=recipient,
            kind=Kind.REPLY if n % 3 else Kind.COMMENT,
            work=work,
            chapter=chapter if n % 2 else None,
            comment_id=start + n,
            actor=actor if n % 2 else None,
            actor_name="Guest",
        )
        for n in range(count)
    )
    services.deliver(recipients=[recipient], kind=Kind.CHAPTER, work=work, chapter=chapter)


def test_the_inbox_costs_the_same_queries_with_3_or_300_entries(
    as_author: Client, author: User
) -> None:
    make_entries(author, 3, start=0)
    queries_for(as_author, INBOX)  # warm the session
    with_three = queries_for(as_author, INBOX)
    make_entries(author, 297, start=1000)
    assert queries_for(as_author, INBOX) == with_three


def test_a_comment_is_answered_from_the_inbox(
    as_author: Client, author: User, reader: User
) -> None:
    work = make_work(owner=author, title="Harbour Lights")
    comment = post_comment(
        work=work, chapter=work.chapters.first(), user=reader, body="Loved the storm scene."
    )
    page = as_author.get(INBOX).content.decode()
    reply_url = reverse("comments:reply", args=[comment.pk])
    assert f'action="{reply_url}"' in page
    assert "Your reply to reader" in page
    answered = as_author.post(reply_url, {"body": "Thank you, it was fun to write."}, follow=True)
    assert "Your comment was posted." in answered.content.decode()
    reply = Comment.objects.get(parent=comment)
    assert (reply.user, reply.body) == (author, "<p>Thank you, it was fun to write.</p>")
    # The reader hears of it in their own inbox, and an empty reply loses nothing typed.
    assert InboxEntry.objects.filter(recipient=reader, kind=Kind.REPLY).count() == 1
    refused = as_author.post(reply_url, {"body": "  "})
    assert refused.status_code in (200, 400)
    assert 'name="body"' in refused.content.decode()


def test_a_new_chapter_entry_offers_no_reply(as_reader: Client, author: User, reader: User) -> None:
    work = make_work(owner=author)
    services.deliver(recipients=[reader], kind=Kind.WORK, work=work, actor=author)
    assert "Post reply" not in as_reader.get(INBOX).content.decode()
