"""The inbox page: a person's entries, newest first, to mark read or unread or delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fanfold.archive.inbox import selectors, services
from fanfold.archive.inbox.forms import ActionForm
from fanfold.archive.people.models import User


def _me(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required
    return request.user


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """GET: a page of entries (``?show=unread``, ``?older=<cursor>``); POST: act on ticked ones."""
    me = _me(request)
    if request.method == "POST":
        _act(request, me)
        return redirect(request.get_full_path())
    unread_only = request.GET.get("show") == "unread"
    page = selectors.inbox_page(
        user=me, unread_only=unread_only, older_than=request.GET.get("older", "")
    )
    return render(
        request,
        "inbox/inbox.html",
        {"page": page, "unread_only": unread_only, "is_first_page": "older" not in request.GET},
    )


def _act(request: HttpRequest, me: User) -> None:
    form = ActionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return
    ids, action = form.cleaned_data["entry"], form.cleaned_data["action"]
    if action == "delete":
        count = services.delete_entries(user=me, entry_ids=ids)
        messages.success(request, f"{_entries(count)} deleted.")
    else:
        count = services.mark_read(user=me, entry_ids=ids, read=action == "read")
        messages.success(request, f"{_entries(count)} marked {action}.")


def _entries(count: int) -> str:
    """
    >>> _entries(1), _entries(3)
    ('1 entry', '3 entries')
    """
    return f"{count} entr{'y' if count == 1 else 'ies'}"
