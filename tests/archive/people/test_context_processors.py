"""The theme every page is drawn in.

``people.context_processors.appearance`` promises every template ``theme``:
the account's, else a guest's cookie from the footer's switch (when it names
a theme there is), else "system" (the device decides).
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory

from fanfold.archive.people.context_processors import THEME_COOKIE, appearance
from fanfold.archive.people.models import User


def test_the_theme_comes_from_the_account_before_the_cookie() -> None:
    request = RequestFactory().get("/")
    request.COOKIES[THEME_COOKIE] = "light"
    request.user = User(theme="dark")
    assert appearance(request) == {"theme": "dark"}
    request.user = AnonymousUser()
    assert appearance(request) == {"theme": "light"}


def test_a_request_without_a_user_or_with_a_bad_cookie_follows_the_device() -> None:
    request = RequestFactory().get("/")
    assert appearance(request) == {"theme": "system"}
    request.COOKIES[THEME_COOKIE] = '"><script>'
    assert appearance(request) == {"theme": "system"}


def test_every_page_carries_the_theme_on_its_html_element(as_stranger: Client) -> None:
    assert '<html lang="en" data-theme="system">' in as_stranger.get("/").content.decode()
    as_stranger.post("/settings/theme/", {"theme": "dark", "next": "/"})
    assert '<html lang="en" data-theme="dark">' in as_stranger.get("/").content.decode()
