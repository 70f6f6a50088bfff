"""``comments.urls``: a work's comments under the work, one comment's pages under /comments/."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from fanfold.archive.comments import views


def test_comments_are_posted_to_the_works_path() -> None:
    assert reverse("comments:post", args=[7]) == "/works/7/comments/"
    assert resolve("/works/7/comments/").func == views.post_comment


@pytest.mark.parametrize(
    "name", ["thread", "reply", "edit", "delete", "freeze", "approve", "reject"]
)
def test_each_comment_has_its_own_pages(name: str) -> None:
    assert reverse(f"comments:{name}", args=[3]) == f"/comments/3/{name}/"
    match = resolve(f"/comments/3/{name}/")
    assert (match.func, match.kwargs) == (getattr(views, name), {"comment_id": 3})
