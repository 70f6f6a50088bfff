"""The readers' side: kudos, bookmarks, subscriptions, history and "marked for later".

Every change is a POST from a plain form that redirects back with a message
(POST-redirect-GET), so all of it works without JavaScript. Kudos through
htmx answer with the kudos box alone, the message inside, swapped in place.
Bookmarking also has a page of its own (``/works/<id>/bookmark/``), the
form alone, for readers without JavaScript and for the form's errors.

"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from fanfold.archive.pages import found, in_place
from fanfold.archive.people import selectors as people
from fanfold.archive.people import services as people_services
from fanfold.archive.people.models import User
from fanfold.archive.reading import history as history_buffer
from fanfold.archive.reading import selectors, services
from fanfold.archive.reading.forms import BookmarkForm
from fanfold.archive.reading.models import Bookmark
from fanfold.archive.reading.templatetags import reading_tags
from fanfold.archive.reading.templatetags.reading_tags import kudos_box
from fanfold.archive.security import client_address
from fanfold.archive.works import selectors as works
from fanfold.archive.works.models import Series, Work
from fanfold.archive.works.views import strangers_log_in_to_read


@require_POST
@strangers_log_in_to_read
def leave_kudos(request: HttpRequest, work_id: int) -> HttpResponse:
    work = found(works.work_for_reading(work_id=work_id, viewer=request.user), "work")
    reader = request.user if isinstance(request.user, User) else None
    guest = "" if reader else services.guest_key(address=client_address(request), work=work)
    try:
        left = services.leave_kudos(work=work, user=reader, guest=guest)
    except ValidationError as refused:
        message = (messages.ERROR, refused.messages[0])
    else:
        message = (
            (messages.SUCCESS, "Thank you for leaving kudos!")
            if left
            else (messages.INFO, "You have already left kudos here. :)")
        )
    return _answer(
        request,
        message,
        default=work.get_absolute_url(),
        fragment=lambda page: kudos_box(work=work, viewer=request.user),
        template="reading/_kudos.html",
    )


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required
    return request.user


def _back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the form was on (``next``), or to ``default``."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = default
    return redirect(target)


def _answer(
    request: HttpRequest,
    message: tuple[int, str],
    *,
    default: str,
    fragment: Callable[[dict[str, Any]], dict[str, Any]],
    template: str,
) -> HttpResponse:
    """Back to the page with the message, or, through htmx, the button's fragment with it inside.

    ``fragment`` is the template tag's own context function, so the swapped
    fragment is the one the page would show now.
    """
    level, text = message
    if in_place(request):
        page = {"request": request, "csrf_token": get_token(request)}
        context = fragment(page) | {"message": text, "next": request.POST.get("next", default)}
        return render(request, template, context)
    messages.add_message(request, level, text)
    return _back(request, default)


# Subscriptions ------------------------------------------------------------------


def _subscribe_or_not(
    request: HttpRequest, target: Work | Series | User, name: str, *, default: str
) -> HttpResponse:
    user = _me(request)
    if request.POST.get("undo"):
        services.unsubscribe(user=user, target=target)
        message = (messages.SUCCESS, f"You have unsubscribed from {name}.")
    else:
        try:
            new = services.subscribe(user=user, target=target)
        except ValidationError as refused:
            message = (messages.ERROR, refused.messages[0])
        else:
            message = (
                (messages.SUCCESS, f"You are subscribed to {name}: new posts reach your inbox.")
                if new
                else (messages.INFO, f"You were already subscribed to {name}.")
            )
    return _answer(
        request,
        message,
        default=default,
        fragment=lambda page: reading_tags.subscribe(page, target),
        template="reading/_subscribe.html",
    )


@login_required
@require_POST
def subscribe_work(request: HttpRequest, work_id: int) -> HttpResponse:
    """Subscribe to a work the reader may read (or, with ``undo``, unsubscribe)."""
    work = found(works.work_for_reading(work_id=work_id, viewer=request.user), "work")
    return _subscribe_or_not(request, work, f"“{work.title}”", default=work.get_absolute_url())


@login_required
@require_POST
def subscribe_series(request: HttpRequest, series_id: int) -> HttpResponse:
    series = found(works.series_for_reading(series_id=series_id, viewer=request.user), "series")
    name = f"the series “{series.title}”"
    return _subscribe_or_not(request, series, name, default=series.get_absolute_url())


@login_required
@require_POST
def subscribe_author(request: HttpRequest, username: str) -> HttpResponse:
    person = found(people.active_user(username=username), "author")
    home = reverse("works:author", args=[person.username])
    return _subscribe_or_not(request, person, person.username, default=home)


@login_required
def subscriptions(request: HttpRequest) -> HttpResponse:
    page = selectors.subscriptions_page(user=_me(request), after=request.GET.get("after", ""))
    return render(request, "reading/subscriptions.html", {"page": page})


# History and "marked for later" -------------------------------------------------


@login_required
def history(request: HttpRequest) -> HttpResponse:
    """The reader's history, or with ``?show=later`` the works they marked for later."""
    later = request.GET.get("show") == "later"
    history_buffer.flush(user_id=_me(request).pk)  # the chapter they just left shows
    page = selectors.history_page(
        user=_me(request), later=later, after=request.GET.get("after", "")
    )
    return render(request, "reading/history.html", {"page": page, "later": later})


@login_required
@require_POST
def clear_history(request: HttpRequest) -> HttpResponse:
    cleared = services.forget_reading(user=_me(request))
    messages.success(
        request, f"Your history is cleared ({cleared} work{'s' if cleared != 1 else ''})."
    )
    return redirect("reading:history")


@login_required
@require_POST
def clear_later(request: HttpRequest) -> HttpResponse:
    cleared = services.clear_marked_for_later(user=_me(request))
    messages.success(
        request, f"Your list is cleared ({cleared} work{'s' if cleared != 1 else ''})."
    )
    return redirect(f"{reverse('reading:history')}?show=later")


@login_required
@require_POST
def forget_work(request: HttpRequest, work_id: int) -> HttpResponse:
    """Remove one work from the history (its reading, not the work: any id is harmless)."""
    services.forget_reading(user=_me(request), work_ids=[work_id])
    messages.success(request, "Removed from your history.")
    return _back(request, reverse("reading:history"))


@login_required
@require_POST
def pause_history(request: HttpRequest) -> HttpResponse:
    paused = request.POST.get("paused") == "1"
    people_services.set_history_paused(user=_me(request), paused=paused)
    if paused:
        messages.success(request, "Your history is paused: what you read now is not kept.")
    else:
        messages.success(request, "Your history is kept again.")
    return redirect("reading:history")


@login_required
@require_POST
def mark_for_later(request: HttpRequest, work_id: int) -> HttpResponse:
    """Mark a work the reader may read for later (or, with ``undo``, unmark it)."""
    marked = not request.POST.get("undo")
    work = found(works.work_for_reading(work_id=work_id, viewer=request.user), "work")
    services.mark_for_later(user=_me(request), work=work, marked=marked)
    said = "is marked for later" if marked else "is no longer marked for later"
    return _answer(
        request,
        (messages.SUCCESS, f"“{work.title}” {said}."),
        default=work.get_absolute_url(),
        fragment=lambda page: reading_tags.mark_for_later(page, work),
        template="reading/_mark_for_later.html",
    )


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
    swapped = in_place(request)
    prefix = {"auto_id": "id_bookmark_%s"} if swapped else {}  # the work page's ids
    form = BookmarkForm.for_bookmark(bookmark, data=request.POST or None, **prefix)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_bookmark(user=reader, work=work, series=series, fields=form.to_fields())
        except ValidationError as refused:
            _attach_refusal(form, refused)
        else:
            said = "Bookmark saved." if bookmark else "Bookmarked!"
            if not swapped:
                messages.success(request, said)
                return redirect(target)
            return _bookmark_box(request, work=work, series=series, message=said)
    if swapped:  # the box again, the form open with what was typed and its errors
        return _bookmark_box(request, work=work, series=series, form=form)
    context: dict[str, Any] = {
        "form": form,
        "target": target,
        "work": work,
        "series": series,
        "bookmark": bookmark,
    }
    return render(request, "reading/bookmark_form.html", context, status=_status(form))


def _bookmark_box(
    request: HttpRequest,
    *,
    work: Work | None,
    series: Series | None,
    form: BookmarkForm | None = None,
    message: str = "",
) -> HttpResponse:
    """The work or series page's bookmark box, for htmx to swap in place."""
    page = {"request": request, "csrf_token": get_token(request)}
    box = reading_tags.bookmark_box(page, work=work, series=series, form=form)
    box |= {"message": message, "signed_in": True, "next": request.POST.get("next", "")}
    return render(request, "reading/_bookmark.html", box)


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
