"""``comments.services``: every check a comment passes, counters, the inbox and email."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail.backends.base import BaseEmailBackend

from fanfold.archive.comments import services
from fanfold.archive.comments.models import COMMENT_BODY_MAX, Comment, State
from fanfold.archive.comments.services import (
    approve_comment,
    delete_comment,
    edit_comment,
    post_comment,
    reject_comment,
    set_thread_frozen,
)
from fanfold.archive.inbox.models import InboxEntry, Kind
from fanfold.archive.people.models import User
from fanfold.archive.people.services import block_user
from fanfold.archive.works import services as works
from fanfold.archive.works.models import CommentPermission, Work
from tests.archive.comments.conftest import open_to_guests
from tests.archive.factories import UserFactory, make_work

OnCommit = Callable[..., Any]


def count_of(work: Work) -> int:
    return Work.objects.get(pk=work.pk).comment_count


def refusal(**kwargs: Any) -> str:
    with pytest.raises(ValidationError) as refused:
        post_comment(**kwargs)
    return str(refused.value.messages[0])


# Posting ------------------------------------------------------------------------


def test_a_reader_comments_on_a_chapter_and_the_work_counts_it(work: Work, reader: User) -> None:
    chapter = work.chapters.get(position=2)
    comment = post_comment(work=work, chapter=chapter, user=reader, body="The <em>storm</em>!")
    assert (comment.chapter, comment.state, comment.root) == (chapter, State.PUBLISHED, None)
    assert comment.body == "<p>The <em>storm</em>!</p>"
    assert count_of(work) == 1


def test_comment_html_is_sanitised(work: Work, reader: User) -> None:
    comment = post_comment(
        work=work, user=reader, body='<p onclick="x()">Hi<script>alert(1)</script></p>'
    )
    assert comment.body == "<p>Hi</p>"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("   ", "Write something before posting your comment."),
        ("<script>alert(1)</script>", "Write something before posting your comment."),
        ("x" * (COMMENT_BODY_MAX + 1), "at most 10,000 are allowed"),
    ],
)
def test_an_empty_or_overlong_comment_is_refused(
    work: Work, reader: User, body: str, message: str
) -> None:
    assert message in refusal(work=work, user=reader, body=body)
    assert count_of(work) == 0


def test_nobody_comments_on_a_draft_or_a_draft_chapter(author: User, reader: User) -> None:
    draft = make_work(owner=author, post=False)
    assert refusal(work=draft, user=author, body="Hi") == "Comments open once this is posted."
    posted = make_work(owner=author)
    chapter = works.add_chapter(
        work=posted, by=author, fields=works.ChapterFields(body="Not yet posted."), post=False
    )
    message = refusal(work=posted, chapter=chapter, user=reader, body="Hi")
    assert message == "Comments open once this is posted."


def test_a_hidden_work_takes_no_comments(work: Work, reader: User) -> None:
    Work.objects.filter(pk=work.pk).update(is_hidden=True)
    work.refresh_from_db()
    assert "an admin has hidden" in refusal(work=work, user=reader, body="Hi")


def test_the_authors_policy_decides_who_may_comment(work: Work, reader: User, author: User) -> None:
    assert "readers with an account only" in refusal(work=work, guest_name="Wren", body="Hi")
    Work.objects.filter(pk=work.pk).update(comment_permission=CommentPermission.NOBODY)
    work.refresh_from_db()
    assert refusal(work=work, user=reader, body="Hi") == (
        "The author has closed comments on this work."
    )
    # The author may still answer on their own work.
    assert post_comment(work=work, user=author, body="Thank you all!").state == State.PUBLISHED


def test_guests_comment_with_a_name_when_the_author_allows_it(work: Work) -> None:
    open_to_guests(work)
    assert refusal(work=work, guest_name="  ", body="Hi") == "Give a name to comment as a guest."
    comment = post_comment(work=work, guest_name=" Wren\n", body="Hi", address="203.0.113.9")
    assert (comment.user, comment.guest_name) == (None, "Wren")


def test_guests_never_comment_on_a_restricted_work(author: User) -> None:
    work = open_to_guests(make_work(owner=author, restricted=True))
    assert refusal(work=work, guest_name="Wren", body="Hi") == "Log in to comment on this work."


def test_a_reader_the_author_blocked_cannot_comment(work: Work, author: User, reader: User) -> None:
    block_user(user=author, other=reader)
    message = refusal(work=work, user=reader, body="Hi")
    assert message == "The author of this work has blocked you from commenting on it."


def test_a_reader_cannot_reply_to_someone_who_blocked_them(work: Work, reader: User) -> None:
    other = UserFactory(username="other")
    first = post_comment(work=work, user=other, body="First!")
    block_user(user=other, other=reader)
    message = refusal(work=work, user=reader, body="Hi", parent=first)
    assert message == "The person who wrote this comment has blocked you from replying to them."
    # Commenting on the work itself is still allowed: only the author's block stops that.
    assert post_comment(work=work, user=reader, body="On the work.").pk


def test_replies_go_to_the_parents_thread_and_chapter(
    work: Work, reader: User, author: User
) -> None:
    chapter = work.chapters.get(position=2)
    first = post_comment(work=work, chapter=chapter, user=reader, body="First.")
    answer = post_comment(work=work, user=author, body="Thanks!", parent=first)
    deeper = post_comment(work=work, user=reader, body="Welcome.", parent=answer)
    assert (answer.chapter, deeper.chapter) == (chapter, chapter)
    assert (answer.root, deeper.root) == (first, first)
    assert count_of(work) == 3


def test_a_reply_belongs_to_its_parents_work(work: Work, author: User, reader: User) -> None:
    first = post_comment(work=work, user=reader, body="First.")
    with pytest.raises(ValueError, match="parent's work"):
        post_comment(work=make_work(owner=author), user=reader, body="Hi", parent=first)
    with pytest.raises(ValueError, match="chapter belongs"):
        post_comment(
            work=make_work(owner=author), chapter=work.chapters.first(), user=reader, body="Hi"
        )


def test_no_replies_to_a_frozen_thread_until_it_thaws(
    work: Work, author: User, reader: User
) -> None:
    first = post_comment(work=work, user=reader, body="First.")
    answer = post_comment(work=work, user=author, body="Thanks!", parent=first)
    assert set_thread_frozen(comment=answer, by=author, frozen=True) == 2
    answer.refresh_from_db()
    message = refusal(work=work, user=reader, body="Hi", parent=answer)
    assert message == "This thread is frozen: it takes no more replies."
    set_thread_frozen(comment=first, by=author, frozen=False)
    answer.refresh_from_db()
    assert post_comment(work=work, user=reader, body="Again.", parent=answer).pk


def test_only_the_works_author_freezes_a_thread(work: Work, reader: User) -> None:
    first = post_comment(work=work, user=reader, body="First.")
    with pytest.raises(PermissionDenied, match="Only the work's author can freeze a thread"):
        set_thread_frozen(comment=first, by=reader, frozen=True)


def test_no_replies_to_a_deleted_or_waiting_comment(work: Work, author: User, reader: User) -> None:
    first = post_comment(work=work, user=reader, body="First.")
    post_comment(work=work, user=author, body="Thanks!", parent=first)
    delete_comment(comment=first, by=reader)
    first.refresh_from_db()
    message = refusal(work=work, user=author, body="Hi", parent=first)
    assert message == "This comment was deleted, so it takes no replies."
    Work.objects.filter(pk=work.pk).update(comments_moderated=True)
    work.refresh_from_db()
    waiting = post_comment(work=work, user=reader, body="Waiting.")
    assert "waiting for the author's approval" in refusal(
        work=work, user=author, body="Hi", parent=waiting
    )


def test_an_account_posts_at_most_five_comments_a_minute(work: Work, reader: User) -> None:
    for n in range(services.RATE_LIMIT):
        post_comment(work=work, user=reader, body=f"Comment {n}")
    message = refusal(work=work, user=reader, body="One more")
    assert "please wait a minute" in message
    assert count_of(work) == services.RATE_LIMIT
    assert post_comment(work=work, user=UserFactory(), body="Someone else").pk


def test_guests_are_limited_per_address(work: Work) -> None:
    open_to_guests(work)
    for n in range(services.RATE_LIMIT):
        post_comment(work=work, guest_name="Bot", body=f"Spam {n}", address="203.0.113.9")
    assert "please wait a minute" in refusal(
        work=work, guest_name="Bot", body="More", address="203.0.113.9"
    )
    assert post_comment(work=work, guest_name="Wren", body="Hi", address="198.51.100.7").pk


def test_a_refused_comment_does_not_use_up_the_rate_limit(work: Work, reader: User) -> None:
    for _ in range(services.RATE_LIMIT + 1):
        refusal(work=work, user=reader, body=" ")
    assert post_comment(work=work, user=reader, body="Finally.").pk


# Moderation -----------------------------------------------------------------------


def test_on_a_moderated_work_comments_wait_and_are_counted_once_approved(
    work: Work, author: User, reader: User
) -> None:
    Work.objects.filter(pk=work.pk).update(comments_moderated=True)
    work.refresh_from_db()
    waiting = post_comment(work=work, user=reader, body="Please approve me.")
    assert waiting.state == State.PENDING
    assert count_of(work) == 0
    assert post_comment(work=work, user=author, body="Mine never wait.").state == State.PUBLISHED
    with pytest.raises(PermissionDenied, match="Only the work's author can approve comments"):
        approve_comment(comment=waiting, by=reader)
    assert approve_comment(comment=waiting, by=author) is True
    assert approve_comment(comment=waiting, by=author) is False  # a double click
    assert Comment.objects.get(pk=waiting.pk).state == State.PUBLISHED
    assert count_of(work) == 2


def test_the_author_rejects_a_waiting_comment(work: Work, author: User, reader: User) -> None:
    Work.objects.filter(pk=work.pk).update(comments_moderated=True)
    work.refresh_from_db()
    waiting = post_comment(work=work, user=reader, body="Buy cheap watches.")
    with pytest.raises(PermissionDenied, match="Only the work's author can reject comments"):
        reject_comment(comment=waiting, by=reader)
    assert reject_comment(comment=waiting, by=author) is True
    assert reject_comment(comment=waiting, by=author) is False
    assert not Comment.objects.filter(pk=waiting.pk).exists()
    assert not InboxEntry.objects.filter(comment_id=waiting.pk).exists()
    assert count_of(work) == 0


# Editing and deleting ---------------------------------------------------------------


def test_a_reader_edits_their_own_comment_and_it_shows_as_edited(
    work: Work, reader: User, author: User
) -> None:
    comment = post_comment(work=work, user=reader, body="Typo here.")
    with pytest.raises(PermissionDenied, match="You can only edit your own comments"):
        edit_comment(comment=comment, by=author, body="Not yours.")
    edited = edit_comment(comment=comment, by=reader, body="No typo <b>here</b>.")
    assert edited.body == "<p>No typo <b>here</b>.</p>"
    assert Comment.objects.get(pk=comment.pk).edited_at is not None
    with pytest.raises(ValidationError):
        edit_comment(comment=comment, by=reader, body="")


def test_a_deleted_comment_cannot_be_edited(work: Work, reader: User, author: User) -> None:
    comment = post_comment(work=work, user=reader, body="First.")
    post_comment(work=work, user=author, body="Thanks!", parent=comment)
    delete_comment(comment=comment, by=reader)
    comment.refresh_from_db()
    with pytest.raises(ValidationError, match="A deleted comment cannot be edited"):
        edit_comment(comment=comment, by=reader, body="Back again.")


def test_deleting_a_comment_uncounts_it_and_clears_its_inbox_entries(
    work: Work, reader: User
) -> None:
    comment = post_comment(work=work, user=reader, body="Hello.")
    assert InboxEntry.objects.filter(comment_id=comment.pk).exists()
    delete_comment(comment=comment, by=reader)
    delete_comment(comment=comment, by=reader)  # a double click deletes nothing more
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert not InboxEntry.objects.filter(comment_id=comment.pk).exists()
    assert count_of(work) == 0


def test_a_deleted_comment_with_replies_stays_as_a_tombstone(
    work: Work, reader: User, author: User
) -> None:
    first = post_comment(work=work, user=reader, body="First.")
    answer = post_comment(work=work, user=author, body="Thanks!", parent=first)
    delete_comment(comment=first, by=reader)
    tombstone = Comment.objects.get(pk=first.pk)
    assert (tombstone.state, tombstone.body) == (State.DELETED, "")
    assert count_of(work) == 1
    # Once its last reply goes, the tombstone goes too.
    delete_comment(comment=answer, by=author)
    assert not Comment.objects.filter(pk__in=[first.pk, answer.pk]).exists()
    assert count_of(work) == 0


def test_the_works_author_and_admins_delete_anyones_comment_others_do_not(
    work: Work, reader: User, author: User, admin: User
) -> None:
    one = post_comment(work=work, user=reader, body="One.")
    two = post_comment(work=work, user=reader, body="Two.")
    with pytest.raises(PermissionDenied, match="Only the comment's writer or the work's author"):
        delete_comment(comment=one, by=UserFactory())
    delete_comment(comment=one, by=author)
    delete_comment(comment=two, by=admin)
    assert count_of(work) == 0


def test_deleting_a_waiting_comment_leaves_the_count_alone(
    work: Work, reader: User, author: User
) -> None:
    post_comment(work=work, user=reader, body="Published.")
    Work.objects.filter(pk=work.pk).update(comments_moderated=True)
    work.refresh_from_db()
    waiting = post_comment(work=work, user=reader, body="Waiting.")
    delete_comment(comment=waiting, by=reader)
    assert count_of(work) == 1


# The inbox and email -----------------------------------------------------------------


def test_the_author_hears_of_a_comment_and_the_writer_of_a_reply(
    work: Work, author: User, reader: User
) -> None:
    first = post_comment(work=work, user=reader, body="First.")
    other = UserFactory(username="other")
    reply = post_comment(work=work, user=other, body="Agreed!", parent=first)
    own = post_comment(work=work, user=author, body="Thanks both.", parent=reply)
    entries = set(InboxEntry.objects.values_list("recipient__username", "kind", "comment_id"))
    assert entries == {
        ("author", Kind.COMMENT, first.pk),
        ("author", Kind.COMMENT, reply.pk),
        ("reader", Kind.REPLY, reply.pk),
        ("other", Kind.REPLY, own.pk),
    }
    assert InboxEntry.objects.get(comment_id=first.pk).excerpt == "First."


def test_a_reply_waiting_for_approval_reaches_its_parents_writer_once_approved(
    work: Work, author: User, reader: User
) -> None:
    first = post_comment(work=work, user=reader, body="First.")
    Work.objects.filter(pk=work.pk).update(comments_moderated=True)
    work.refresh_from_db()
    reply = post_comment(work=work, user=UserFactory(), body="Me too.", parent=first)
    assert not InboxEntry.objects.filter(kind=Kind.REPLY).exists()
    assert InboxEntry.objects.filter(recipient=author, comment_id=reply.pk).exists()
    approve_comment(comment=reply, by=author)
    assert InboxEntry.objects.filter(recipient=reader, kind=Kind.REPLY).count() == 1


def test_the_author_is_emailed_after_the_comment_is_saved(
    work: Work, reader: User, django_capture_on_commit_callbacks: OnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        comment = post_comment(work=work, user=reader, body="Wonderful.")
    assert [m.to for m in mail.outbox] == [["author@example.org"]]
    assert mail.outbox[0].subject == "reader commented on “Salt”"
    assert f"#comment-{comment.pk}" in mail.outbox[0].body


def test_an_author_who_turned_comment_email_off_hears_only_through_the_inbox(
    work: Work, author: User, reader: User, django_capture_on_commit_callbacks: OnCommit
) -> None:
    User.objects.filter(pk=author.pk).update(email_comments=False)
    with django_capture_on_commit_callbacks(execute=True):
        post_comment(work=work, user=reader, body="Wonderful.")
    assert mail.outbox == []
    assert InboxEntry.objects.filter(recipient=author, kind=Kind.COMMENT).count() == 1


class BrokenBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("the mail server is down")


def test_an_email_that_cannot_be_sent_never_loses_the_comment(
    work: Work,
    reader: User,
    settings: Any,
    django_capture_on_commit_callbacks: OnCommit,
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    with django_capture_on_commit_callbacks(execute=True):
        comment = post_comment(work=work, user=reader, body="Still here.")
    assert Comment.objects.filter(pk=comment.pk).exists()
    assert count_of(work) == 1
    assert "Could not email author@example.org" in caplog.text


def test_no_email_about_a_comment_deleted_before_it_went_out(work: Work, reader: User) -> None:
    comment = post_comment(work=work, user=reader, body="Oops.")
    delete_comment(comment=comment, by=reader)
    services.email_about(comment_id=comment.pk, recipient_ids=[work.owner_id])
    assert mail.outbox == []


# Deleting chapters, works and accounts ---------------------------------------------------


def test_deleting_a_chapter_takes_its_comments_and_recounts(
    work: Work, author: User, reader: User
) -> None:
    second = work.chapters.get(position=2)
    post_comment(work=work, user=reader, body="On the first.", chapter=work.chapters.first())
    on_second = post_comment(work=work, user=reader, body="On the second.", chapter=second)
    works.delete_chapter(chapter=second, by=author)
    assert not Comment.objects.filter(pk=on_second.pk).exists()
    assert count_of(work) == 1


def test_deleting_a_work_takes_its_comments_and_their_inbox_entries(
    work: Work, author: User, reader: User
) -> None:
    first = post_comment(work=work, user=reader, body="First.")
    post_comment(work=work, user=author, body="Thanks!", parent=first)
    works.delete_work(work=work, by=author)
    assert not Comment.objects.exists()
    assert not InboxEntry.objects.exists()


def test_deleting_an_account_keeps_its_comments_elsewhere_and_the_counts_right(
    work: Work, author: User
) -> None:
    leaving = UserFactory(username="leaving")
    their_work = make_work(owner=leaving, title="Theirs")
    on_theirs = post_comment(work=their_work, user=author, body="On theirs.")
    on_salt = post_comment(work=work, user=leaving, body="On Salt.")
    reply = post_comment(work=work, user=author, body="Thanks!", parent=on_salt)
    leaving.delete()
    assert not Comment.objects.filter(pk=on_theirs.pk).exists()
    assert Comment.objects.get(pk=on_salt.pk).author_name == "a deleted account"
    assert Comment.objects.get(pk=reply.pk).parent_id == on_salt.pk
    assert count_of(work) == 2
    assert not InboxEntry.objects.filter(recipient_id=leaving.pk).exists()


def test_saving_a_work_never_writes_back_a_stale_comment_count(
    work: Work, author: User, reader: User
) -> None:
    stale = Work.objects.get(pk=work.pk)
    post_comment(work=work, user=reader, body="While the author edits.")
    works.post_work(work=stale, by=author)
    assert count_of(work) == 1


def test_a_hidden_comment_leaves_the_count_takes_no_replies_nor_edits(
    work: Work, reader: User, author: User
) -> None:
    comment = post_comment(work=work, user=reader, body="Rude words.")
    assert services.set_comment_hidden(comment=comment, hidden=True)
    assert not services.set_comment_hidden(comment=comment, hidden=True)
    work.refresh_from_db()
    assert (comment.state, work.comment_count) == (State.HIDDEN, 0)
    with pytest.raises(ValidationError, match="A moderator hid this comment"):
        post_comment(work=work, user=author, body="Answer.", parent=comment)
    with pytest.raises(ValidationError, match="cannot be edited"):
        services.edit_comment(comment=comment, by=reader, body="Nicer words.")
    assert services.set_comment_hidden(comment=comment, hidden=False)
    work.refresh_from_db()
    assert (comment.state, work.comment_count) == (State.PUBLISHED, 1)
