"""The comments under a work's text, rendered where the works app's template asks.

The works app sits below this one and never imports it; its reading page
loads these tags by name (``{% load comments_tags %}``).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from fanfold.archive.comments import selectors
from fanfold.archive.comments.forms import CommentForm
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Chapter, Work
from fanfold.archive.works.pagecache import CODE_STAMP, CSRF_PLACEHOLDER
from fanfold.archive.works.versions import remembered

register = template.Library()


def page_number(raw: str | None) -> int:
    """The ``?comments=`` page asked for; anything odd is the first page.

    >>> page_number("3"), page_number("x"), page_number(None), page_number("99999999999")
    (3, 1, 1, 1)
    """
    if raw and raw.isdigit() and len(raw) < 8:
        return int(raw)
    return 1


Scope = tuple[int | None, bool]


@register.simple_tag(takes_context=True)
def comments_scope(context: dict[str, Any]) -> Scope:
    """Whose comments the page shows: ``(chapter id or None, whole work?)``.

    One chapter among several: that chapter's comments. The whole work on
    the page (all chapters, or a one-chapter work): every comment on it.
    Plain values, so that a kept page (``page_holes``) can keep them.
    """
    shown: list[Chapter] = list(context.get("chapters") or [])
    every = list(context.get("all_chapters") or shown)
    chapter_id = shown[0].pk if len(shown) == 1 else None
    return chapter_id, len(shown) != 1 or len(every) == 1


def _chapter(context: dict[str, Any], work: Work, chapter_id: int | None) -> Chapter | None:
    """The chapter of that id from the page, or (a kept page's hole) one standing for it.

    Only a plain reader's kept page has no chapters in its context, and such a
    reader is shown posted chapters only: ``is_draft`` is False for them.
    """
    if chapter_id is None:
        return None
    shown = context.get("chapters") or []
    return next((c for c in shown if c.pk == chapter_id), None) or Chapter(
        pk=chapter_id, work_id=work.pk, is_draft=False
    )


@register.simple_tag(takes_context=True)
def comments(context: dict[str, Any], work: Work, scope: Scope) -> SafeString:
    """A page of comment threads and the comment form, for the page's ``comments_scope``.

    A signed-in reader who wrote nothing on the work (not its author, not
    staff) sees exactly what every such reader sees who is refused the same
    way (or not at all): that section is rendered once per version of the
    work, path and page, and only the reader's CSRF token put in.
    """
    request = context["request"]
    viewer = request.user
    user = viewer if isinstance(viewer, User) else None
    chapter_id, whole_work = scope
    chapter = _chapter(context, work, chapter_id)
    refusal = selectors.comment_refusal(work=work, chapter=chapter, user=user)
    page = page_number(request.GET.get("comments"))

    def section(token: object) -> SafeString:
        html = get_template("comments/_comments.html").render(
            _section(request, work, chapter, whole_work, page, refusal) | {"csrf_token": token}
        )
        return mark_safe(html)  # noqa: S308 the template escaped what it shows

    if user is None or not selectors.reads_like_anyone(work=work, user=user):
        return section(context.get("csrf_token"))
    what = f"{request.path}|{chapter_id}|{whole_work}|{page}|{refusal}|{CODE_STAMP}"
    digest = hashlib.sha256(what.encode()).hexdigest()[:24]
    kept = remembered(work, f"comments:{digest}", lambda: str(section(CSRF_PLACEHOLDER)))
    token = context.get("csrf_token") or get_token(request)
    return mark_safe(kept.replace(CSRF_PLACEHOLDER, str(token)))  # noqa: S308 our own render


def _section(
    request: Any,
    work: Work,
    chapter: Chapter | None,
    whole_work: bool,
    page: int,
    refusal: str | None,
) -> dict[str, Any]:
    viewer = request.user
    return {
        "work": work,
        "chapter": chapter,
        "whole_work": whole_work,
        "page": selectors.thread_page(
            work=work, viewer=viewer, chapter=chapter, whole_work=whole_work, page=page
        ),
        "path": request.path,
        "viewer_id": viewer.pk,
        "is_work_author": viewer.pk == work.owner_id,
        "is_staff": viewer.is_staff,
        "refusal": refusal,
        "form": None
        if refusal
        else CommentForm(
            guest=not viewer.is_authenticated,
            initial={"chapter": chapter.pk if chapter else None},
        ),
    }
