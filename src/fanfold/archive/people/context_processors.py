"""Template context every page gets from the account: the theme it is drawn in."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from fanfold.archive.people.selectors import theme_of

THEME_COOKIE = "theme"  # a guest's choice from the footer's switch


def appearance(request: HttpRequest) -> dict[str, str]:
    """``theme``: "light", "dark" or "system" (the device's), for ``<html data-theme>``."""
    user = getattr(request, "user", None) or AnonymousUser()
    return {"theme": theme_of(user, request.COOKIES.get(THEME_COOKIE))}
