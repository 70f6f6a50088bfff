"""The readers' side of the works app's pages, rendered where its templates ask for it.

The works app sits below this one and never imports it; its templates load
these tags by name, so the work, series and author pages show kudos, the
bookmark form, subscribe buttons and "mark for later" without an import upward.

"""

from __future__ import annotations

from typing import Any

from django import template

from fanfold.archive.people.models import User
from fanfold.archive.reading import selectors
from fanfold.archive.reading.forms import BookmarkForm
from fanfold.archive.works.models import Series, Work
from fanfold.archive.works.versions import remembered

register = template.Library()


def kudos_box(
    *,
    work: Work,
    viewer: object,
    message: str = "",
    summary: selectors.KudosSummary | None = None,
) -> dict[str, Any]:
    """What the kudos box shows: the button (not for the author), who left kudos, a reply.

    ``summary``: who left kudos, if already known (else read now: after leaving
    kudos, the work in hand is of the version before).
    """
    reader = viewer if isinstance(viewer, User) else None
    return {
        "work": work,
        "summary": summary or selectors.kudos_summary(work=work),
        "is_author": reader is not None and reader.pk == work.owner_id,
        "message": message,
    }


@register.inclusion_tag("reading/_kudos.html", takes_context=True)
def kudos(context: dict[str, Any], work: Work) -> dict[str, Any]:
    """The kudos box on a work page; who left kudos is read once per version of the work."""
    summary = remembered(work, "kudos", lambda: selectors.kudos_summary(work=work))
    return kudos_box(work=work, viewer=context["request"].user, summary=summary) | {
        "csrf_token": context.get("csrf_token")
    }


def _reader(context: dict[str, Any]) -> User | None:
    user = context["request"].user
    return user if isinstance(user, User) else None


def _state(context: dict[str, Any], reader: User, work: Work) -> selectors.ReaderState:
    """The reader's standing with the work, read once per request for all the boxes that show it."""
    request = context["request"]
    states: dict[int, selectors.ReaderState] = request.__dict__.setdefault("reader_states", {})
    if work.pk not in states:
        states[work.pk] = selectors.reader_state(user=reader, work=work)
    return states[work.pk]


@register.simple_tag(takes_context=True)
def reader_state(context: dict[str, Any], work: Work) -> selectors.ReaderState | None:
    """``{% reader_state work as state %}``: the signed-in reader's standing (None: a stranger)."""
    reader = _reader(context)
    return _state(context, reader, work) if reader is not None else None


def _subscribed(context: dict[str, Any], reader: User, target: Work | Series | User) -> bool:
    if isinstance(target, Work):
        return _state(context, reader, target).subscribed
    return selectors.is_subscribed(user=reader, target=target)


@register.inclusion_tag("reading/_subscribe.html", takes_context=True)
def subscribe(context: dict[str, Any], target: Work | Series | User) -> dict[str, Any]:
    """Subscribe or unsubscribe to a work, series or author (logged-in readers, not the author)."""
    reader = _reader(context)
    owner_id = target.pk if isinstance(target, User) else target.owner_id
    shown = reader is not None and reader.pk != owner_id
    if isinstance(target, Work):
        action, what = "reading:subscribe_work", "this work"
        shown = shown and not target.is_draft
    elif isinstance(target, Series):
        action, what = "reading:subscribe_series", "this series"
    else:
        action, what = "reading:subscribe_author", target.username
    return {
        "shown": shown,
        "subscribed": shown and reader and _subscribed(context, reader, target),
        "action": action,
        "key": target.username if isinstance(target, User) else target.pk,
        "what": what,
        "next": context["request"].get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("reading/_mark_for_later.html", takes_context=True)
def mark_for_later(context: dict[str, Any], work: Work) -> dict[str, Any]:
    """Mark a posted work for later, or unmark it (logged-in readers)."""
    reader = _reader(context)
    shown = reader is not None and not work.is_draft
    return {
        "shown": shown,
        "marked": shown and reader and _state(context, reader, work).marked_for_later,
        "work": work,
        "next": context["request"].get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


def bookmark_box(
    context: dict[str, Any],
    *,
    work: Work | None = None,
    series: Series | None = None,
    form: BookmarkForm | None = None,
) -> dict[str, Any]:
    """What the bookmark box shows; ``form`` is a form sent back with its errors."""
    request = context["request"]
    reader = _reader(context)
    if work is not None and reader is not None and not _state(context, reader, work).bookmark_id:
        bookmark = None  # the state the page's other boxes read says so: no query of its own
    else:
        bookmark = selectors.bookmark_of(
            user=request.user,
            work_id=work.pk if work else None,
            series_id=series.pk if series else None,
        )
    return {
        "work": work,
        "series": series,
        "bookmark": bookmark,
        "form": form or BookmarkForm.for_bookmark(bookmark, auto_id="id_bookmark_%s"),
        "swap_in_place": True,
        "signed_in": request.user.is_authenticated,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("reading/_bookmark.html", takes_context=True)
def bookmark(context: dict[str, Any], work: Work) -> dict[str, Any]:
    """The bookmark form of a work ("Bookmark", or "Edit bookmark" with it filled in)."""
    if work.is_draft or work.is_hidden:
        return {"hidden": True}
    return bookmark_box(context, work=work)


@register.inclusion_tag("reading/_bookmark.html", takes_context=True)
def bookmark_series(context: dict[str, Any], series: Series) -> dict[str, Any]:
    """The bookmark form of a series."""
    return bookmark_box(context, series=series)
