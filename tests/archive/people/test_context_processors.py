"""The skin every page is drawn in, and how a work's text is set.

``people.context_processors.appearance`` promises every template ``theme``:
the account's, else a guest's cookie from the footer's switch (when it names
a theme there is), else "system" (the device decides); and ``reading_size``
and ``reading_width`` the same way, from a work page's reading settings.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from fanfold.archive.people.context_processors import (
    READING_SIZE_COOKIE,
    READING_WIDTH_COOKIE,
    THEME_COOKIE,
    appearance,
)
from fanfold.archive.people.models import User


def _chosen(context: dict[str, object]) -> tuple[object, ...]:
    return context["theme"], context["reading_size"], context["reading_width"]


def test_the_theme_comes_from_the_account_before_the_cookie() -> None:
    request = RequestFactory().get("/")
    request.COOKIES[THEME_COOKIE] = "light"
    request.COOKIES[READING_SIZE_COOKIE] = "small"
    request.COOKIES[READING_WIDTH_COOKIE] = "wide"
    request.user = User(theme="contrast", reading_size="x-large", reading_width="narrow")
    assert _chosen(appearance(request)) == ("contrast", "x-large", "narrow")
    request.user = AnonymousUser()
    assert _chosen(appearance(request)) == ("light", "small", "wide")


def test_a_request_without_a_user_or_with_a_bad_cookie_follows_the_device() -> None:
    request = RequestFactory().get("/")
    assert _chosen(appearance(request)) == ("system", "medium", "medium")
    request.COOKIES[THEME_COOKIE] = '"><script>'
    request.COOKIES[READING_SIZE_COOKIE] = "9999px"
    assert _chosen(appearance(request)) == ("system", "medium", "medium")


def test_the_reading_settings_offer_every_size_and_width() -> None:
    context = appearance(RequestFactory().get("/"))
    assert [value for value, _ in context["reading_size_choices"]] == [  # type: ignore[attr-defined]
        "small",
        "medium",
        "large",
        "x-large",
    ]
    assert [value for value, _ in context["reading_width_choices"]] == [  # type: ignore[attr-defined]
        "narrow",
        "medium",
        "wide",
    ]


def test_every_page_carries_the_theme_on_its_html_element(as_stranger: Client) -> None:
    assert '<html lang="en" data-theme="system"' in as_stranger.get("/").content.decode()
    as_stranger.post("/settings/theme/", {"theme": "dark", "next": "/"})
    assert '<html lang="en" data-theme="dark"' in as_stranger.get("/").content.decode()
    as_stranger.post("/settings/theme/", {"theme": "contrast", "next": "/"})
    assert '<html lang="en" data-theme="contrast"' in as_stranger.get("/").content.decode()
