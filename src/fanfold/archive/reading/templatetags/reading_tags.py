"""The readers' side of work and series pages, rendered where the works app's templates ask.

The works app sits below this one and never imports it; its templates load
these tags by name, so the work page shows kudos and the bookmark form
without an import upward.
"""

from __future__ import annotations

from typing import Any

from django import template

from fanfold.archive.people.models import User
from fanfold.archive.reading import selectors
from fanfold.archive.reading.forms import BookmarkForm
from fanfold.archive.works.models import Series, Work

register = template.Library()


@register.inclusion_tag("reading/_kudos.html", takes_context=True)
def kudos(context: dict[str, Any], work: Work) -> dict[str, Any]:
    """The kudos button (not for the author) and who left kudos."""
    request = context["request"]
    reader = request.user if isinstance(request.user, User) else None
    return {
        "work": work,
        "summary": selectors.kudos_summary(work=work),
        "is_author": reader is not None and reader.pk == work.owner_id,
        "csrf_token": context.get("csrf_token"),
    }


def _bookmark_context(
    context: dict[str, Any], *, work: Work | None = None, series: Series | None = None
) -> dict[str, Any]:
    request = context["request"]
    bookmark = selectors.bookmark_of(
        user=request.user,
        work_id=work.pk if work else None,
        series_id=series.pk if series else None,
    )
    return {
        "work": work,
        "series": series,
        "bookmark": bookmark,
        "form": BookmarkForm.for_bookmark(bookmark, auto_id="id_bookmark_%s"),
        "signed_in": request.user.is_authenticated,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("reading/_bookmark.html", takes_context=True)
def bookmark(context: dict[str, Any], work: Work) -> dict[str, Any]:
    """The bookmark form of a work ("Bookmark", or "Edit bookmark" with it filled in)."""
    if work.is_draft or work.is_hidden:
        return {"hidden": True}
    return _bookmark_context(context, work=work)


@register.inclusion_tag("reading/_bookmark.html", takes_context=True)
def bookmark_series(context: dict[str, Any], series: Series) -> dict[str, Any]:
    """The bookmark form of a series."""
    return _bookmark_context(context, series=series)
