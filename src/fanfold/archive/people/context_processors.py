"""Template context every page gets from the account: its skin and how a work's text is set."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from fanfold.archive.people.models import ReadingSize, ReadingWidth
from fanfold.archive.people.selectors import reading_of, theme_of

THEME_COOKIE = "theme"  # a guest's choice from the footer's switch
READING_SIZE_COOKIE = "reading_size"  # a guest's choices from a work page's reading settings
READING_WIDTH_COOKIE = "reading_width"


def appearance(request: HttpRequest) -> dict[str, object]:
    """For ``<html data-theme data-reading-size data-reading-width>``.

    ``theme``: "light", "dark", "contrast" or "system" (the device's);
    ``reading_size`` and ``reading_width``: a work's text, from its pages' settings
    (whose lists are ``reading_size_choices`` and ``reading_width_choices``).
    """
    user = getattr(request, "user", None) or AnonymousUser()
    cookies = request.COOKIES
    size, width = reading_of(
        user, cookies.get(READING_SIZE_COOKIE), cookies.get(READING_WIDTH_COOKIE)
    )
    return {
        "theme": theme_of(user, cookies.get(THEME_COOKIE)),
        "reading_size": size,
        "reading_width": width,
        "reading_size_choices": ReadingSize.choices,
        "reading_width_choices": ReadingWidth.choices,
    }
