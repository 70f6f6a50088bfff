"""``comments.forms``: guests give a name, robots fill the honeypot, what was typed stays."""

from __future__ import annotations

from fanfold.archive.comments.forms import CommentForm, EditCommentForm
from fanfold.archive.comments.models import COMMENT_BODY_MAX


def test_a_guest_gives_a_name_an_account_is_not_asked() -> None:
    guest = CommentForm({"body": "Hi"}, guest=True)
    assert not guest.is_valid()
    assert guest.errors["guest_name"] == ["This field is required."]
    account = CommentForm({"body": "Hi"}, guest=False)
    assert account.is_valid()
    assert "guest_name" not in account.fields


def test_a_filled_honeypot_is_refused_with_a_message_a_person_understands() -> None:
    form = CommentForm({"body": "Cheap watches", "website": "http://spam.example"}, guest=False)
    assert not form.is_valid()
    assert "a hidden box was filled in" in form.non_field_errors()[0]
    assert form["body"].value() == "Cheap watches"


def test_a_comment_is_at_most_10000_characters() -> None:
    form = EditCommentForm({"body": "x" * (COMMENT_BODY_MAX + 1)})
    assert not form.is_valid()
    assert "at most 10000 characters" in form.errors["body"][0]
    assert CommentForm({"body": "x" * COMMENT_BODY_MAX}, guest=False).is_valid()


def test_the_chapter_rides_along_hidden() -> None:
    form = CommentForm({"body": "Hi", "chapter": "12"}, guest=False)
    assert form.is_valid()
    assert form.cleaned_data["chapter"] == 12
    assert 'type="hidden"' in str(form["chapter"])
