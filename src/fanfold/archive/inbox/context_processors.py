"""The header's "Inbox (N unread)" on every page a logged-in person sees."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from fanfold.archive.inbox.selectors import unread_count
from fanfold.archive.people.models import User


def inbox(request: HttpRequest) -> dict[str, Any]:
    """``inbox_unread``: counted (one query) only when a template shows it."""
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    return {"inbox_unread": SimpleLazyObject(lambda: unread_count(user))}
