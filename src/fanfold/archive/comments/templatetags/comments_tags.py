"""The comments under a work's text, rendered where the works app's template asks.

The works app sits below this one and never imports it; its reading page
loads these tags by name (``{% load comments_tags %}``).
"""

from __future__ import annotations

from typing import Any

from django import template

from fanfold.archive.comments import selectors
from fanfold.archive.comments.forms import CommentForm
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Chapter, Work

register = template.Library()


def page_number(raw: str | None) -> int:
    """The ``?comments=`` page asked for; anything odd is the first page.

    >>> page_number("3"), page_number("x"), page_number(None), page_number("99999999999")
    (3, 1, 1, 1)
    """
    if raw and raw.isdigit() and len(raw) < 8:
        return int(raw)
    return 1


@register.inclusion_tag("comments/_comments.html", takes_context=True)
def comments(context: dict[str, Any], work: Work) -> dict[str, Any]:
    """A page of comment threads and the comment form, for the chapters on the page.

    One chapter among several: that chapter's comments. The whole work on
    the page (all chapters, or a one-chapter work): every comment on it.
    """
    request = context["request"]
    viewer = request.user
    user = viewer if isinstance(viewer, User) else None
    shown: list[Chapter] = list(context.get("chapters") or [])
    every = list(context.get("all_chapters") or shown)
    chapter = shown[0] if len(shown) == 1 else None
    whole_work = len(shown) != 1 or len(every) == 1
    page = selectors.thread_page(
        work=work,
        viewer=viewer,
        chapter=chapter,
        whole_work=whole_work,
        page=page_number(request.GET.get("comments")),
    )
    refusal = selectors.comment_refusal(work=work, chapter=chapter, user=user)
    return {
        "work": work,
        "chapter": chapter,
        "whole_work": whole_work,
        "page": page,
        "path": request.path,
        "viewer_id": viewer.pk,
        "is_work_author": viewer.pk == work.owner_id,
        "is_staff": viewer.is_staff,
        "refusal": refusal,
        "form": None
        if refusal
        else CommentForm(guest=user is None, initial={"chapter": chapter.pk if chapter else None}),
        "csrf_token": context.get("csrf_token"),
    }
