"""``comments.models``: who a comment shows as, and what a deleted account leaves."""

from __future__ import annotations

from fanfold.archive.comments.models import Comment
from fanfold.archive.comments.services import post_comment
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Work
from tests.archive.comments.conftest import open_to_guests
from tests.archive.factories import UserFactory


def test_a_comment_shows_its_account_or_its_guest_name(work: Work, reader: User) -> None:
    by_reader = post_comment(work=work, user=reader, body="Lovely.")
    guest = post_comment(work=open_to_guests(work), guest_name="Wren", body="Lovely too.")
    assert (by_reader.author_name, by_reader.is_guest) == ("reader", False)
    assert (guest.author_name, guest.is_guest) == ("Wren", True)
    assert str(by_reader) == f"Comment {by_reader.pk} on work {work.pk}"


def test_a_deleted_account_leaves_its_comments_under_a_deleted_account(work: Work) -> None:
    leaving = UserFactory(username="leaving")
    comment = post_comment(work=work, user=leaving, body="Goodbye, and thanks.")
    leaving.delete()
    comment = Comment.objects.get(pk=comment.pk)
    assert comment.user is None
    assert (comment.author_name, comment.is_guest) == ("a deleted account", False)


def test_a_thread_is_named_by_its_first_comment(work: Work, reader: User, author: User) -> None:
    first = post_comment(work=work, user=reader, body="First.")
    answer = post_comment(work=work, user=author, body="Thanks!", parent=first)
    again = post_comment(work=work, user=reader, body="Welcome.", parent=answer)
    assert first.thread_id == answer.thread_id == again.thread_id == first.pk
    assert again.parent == answer
