"""Kudos and bookmarks: POSTs from the work and series pages, back to them with a message.

Bookmarking also has a page of its own (``/works/<id>/bookmark/``), the
form alone, for readers without JavaScript and for the form's errors.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fanfold.archive.pages import found
from fanfold.archive.people.models import User
from fanfold.archive.reading import selectors, services
from fanfold.archive.reading.forms import BookmarkForm
from fanfold.archive.reading.models import Bookmark
from fanfold.archive.works import selectors as works
from fanfold.archive.works.models import Series, Work
from fanfold.archive.works.views import strangers_log_in_to_read


@require_POST
@strangers_log_in_to_read
def leave_kudos(request: HttpRequest, work_id: int) -> HttpResponse:
    work = found(works.work_for_reading(work_id=work_id, viewer=request.user), "work")
    reader = request.user if isinstance(request.user, User) else None
    guest = "" if reader else services.guest_key(address=_address(request), work=work)
    try:
        left = services.leave_kudos(work=work, user=reader, guest=guest)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
    else:
        if left:
            messages.success(request, "Thank you for leaving kudos!")
        else:
            messages.info(request, "You have already left kudos here. :)")
    return redirect("works:work", work_id=work.pk)


def _address(request: HttpRequest) -> str:
    """The guest's address as the server saw it (behind a proxy, set it up to pass it on)."""
    return str(request.META.get("REMOTE_ADDR", ""))


# Bookmarks --------------------------------------------------------------------


def _reader(request: HttpRequest) -> User:
    """The logged-in reader (views that call this are behind login_required)."""
    assert isinstance(request.user, User)
    return request.user


def _attach_refusal(form: BookmarkForm, refused: ValidationError) -> None:
    if hasattr(refused, "error_dict"):
        for name, errors in refused.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, refused)


def _bookmark_page(
    request: HttpRequest, *, work: Work | None = None, series: Series | None = None
) -> HttpResponse:
    """Show the bookmark form (GET) or save it (POST), for a work or a series."""
    reader = _reader(request)
    target: Work | Series = work or series  # type: ignore[assignment]
    bookmark = selectors.bookmark_of(
        user=reader, work_id=work.pk if work else None, series_id=series.pk if series else None
    )
    form = BookmarkForm.for_bookmark(bookmark, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_bookmark(user=reader, work=work, series=series, fields=form.to_fields())
        except ValidationError as refused:
            _attach_refusal(form, refused)
        else:
            messages.success(request, "Bookmark saved." if bookmark else "Bookmarked!")
            return redirect(target)
    context: dict[str, Any] = {
        "form": form,
        "target": target,
        "work": work,
        "series": series,
        "bookmark": bookmark,
    }
    return render(request, "reading/bookmark_form.html", context, status=_status(form))


def _status(form: BookmarkForm) -> int:
    return 400 if form.is_bound and form.errors else 200


@login_required
def bookmark_work(request: HttpRequest, work_id: int) -> HttpResponse:
    work = found(works.work_for_reading(work_id=work_id, viewer=request.user), "work")
    return _bookmark_page(request, work=work)


@login_required
def bookmark_series(request: HttpRequest, series_id: int) -> HttpResponse:
    series = found(works.series_for_reading(series_id=series_id, viewer=request.user), "series")
    return _bookmark_page(request, series=series)


@require_POST
@login_required
def delete_work_bookmark(request: HttpRequest, work_id: int) -> HttpResponse:
    return _delete(request, selectors.bookmark_of(user=_reader(request), work_id=work_id))


@require_POST
@login_required
def delete_series_bookmark(request: HttpRequest, series_id: int) -> HttpResponse:
    return _delete(request, selectors.bookmark_of(user=_reader(request), series_id=series_id))


def _delete(request: HttpRequest, bookmark: Bookmark | None) -> HttpResponse:
    """Delete the reader's bookmark; a repeated delete finds none and says the same.

    Any bookmark of theirs can go, even of a work they may no longer read.
    """
    reader = _reader(request)
    if bookmark is not None:
        services.delete_bookmark(bookmark=bookmark, by=reader)
    messages.success(request, "Bookmark deleted.")
    target = None if bookmark is None else bookmark.work or bookmark.series
    if target is None or request.POST.get("back") == "bookmarks":
        return redirect("search:bookmarks", username=reader.username)
    return redirect(target.get_absolute_url())


@strangers_log_in_to_read
def work_bookmarks(request: HttpRequest, work_id: int) -> HttpResponse:
    """A work's public bookmarks: who, their notes, tags and recs, newest first."""
    work = found(works.work_for_reading(work_id=work_id, viewer=request.user), "work")
    after_text = request.GET.get("after", "")
    after = int(after_text) if after_text.isdigit() and len(after_text) < 19 else None
    page = selectors.public_bookmarks(work=work, after=after)
    return render(request, "reading/work_bookmarks.html", {"work": work, "page": page})
