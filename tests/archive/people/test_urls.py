"""The people app's addresses.

``people.urls`` promises the public paths readers bookmark and forms post to
(``/signup/``, ``/login/``, ``/hidden/`` and so on), each leading to its view,
with any username and any tag name (a "/", "*" or "." in it too) going to
the view unchanged.
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.contrib.auth import views as auth_views
from django.urls import resolve, reverse

from fanfold.archive.people import signin_views, views


@pytest.mark.parametrize(
    ("name", "path", "view"),
    [
        ("people:signup", "/signup/", views.signup),
        ("people:hidden", "/hidden/", views.hidden),
    ],
)
def test_the_peoples_pages_have_their_public_paths(name: str, path: str, view: object) -> None:
    assert reverse(name) == path
    assert resolve(path).func is view


@pytest.mark.parametrize(
    ("name", "path", "view_class"),
    [
        ("people:login", "/login/", signin_views.SignInView),
        ("people:logout", "/logout/", auth_views.LogoutView),
        ("people:password_change", "/password/", auth_views.PasswordChangeView),
        ("people:password_changed", "/password/changed/", auth_views.PasswordChangeDoneView),
        ("people:password_reset", "/password/reset/", signin_views.QuietPasswordReset),
        ("people:password_reset_sent", "/password/reset/sent/", auth_views.PasswordResetDoneView),
        (
            "people:password_reset_done",
            "/password/reset/done/",
            auth_views.PasswordResetCompleteView,
        ),
    ],
)
def test_logging_in_and_out_are_djangos_own_views_at_their_public_paths(
    name: str, path: str, view_class: type
) -> None:
    assert reverse(name) == path
    assert resolve(path).func.view_class is view_class  # type: ignore[attr-defined]


def test_the_login_page_uses_the_archives_template_and_sends_readers_on() -> None:
    view = resolve("/login/").func.view_class  # type: ignore[attr-defined]
    assert issubclass(view, auth_views.LoginView)
    assert (view.template_name, view.redirect_authenticated_user) == ("people/login.html", True)


@pytest.mark.parametrize(
    ("name", "path", "view"),
    [
        ("people:login_code", "/login/code/", signin_views.login_code),
        ("people:two_factor", "/settings/two-factor/", signin_views.two_factor),
        ("people:sessions", "/settings/sessions/", signin_views.sessions),
    ],
)
def test_the_sign_in_security_pages_have_their_public_paths(
    name: str, path: str, view: object
) -> None:
    assert reverse(name) == path
    assert resolve(path).func is view


@pytest.mark.parametrize("username", ["author", "kit.kat", "a@b+c-d_e", "Ærin"])
def test_muting_is_posted_to_the_authors_own_path(username: str) -> None:
    path = reverse("people:mute", args=[username])
    assert unquote(path) == f"/users/{username}/mute/"
    match = resolve(unquote(path))
    assert (match.func, match.kwargs) == (views.mute, {"username": username})


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("Angst", "/hide/freeform/Angst/"),
        ("Mark Sloan/Lexie Grey", "/hide/freeform/Mark%20Sloan*s*Lexie%20Grey/"),
        ("5*", "/hide/freeform/5**/"),
        ("..", "/hide/freeform/*d**d*/"),
        ("Dr. Who?", "/hide/freeform/Dr.%20Who%3F/"),
    ],
)
def test_hiding_a_tag_is_posted_to_a_path_naming_it_that_leads_back_to_it(
    name: str, path: str
) -> None:
    assert reverse("people:hide_tag", args=["freeform", name]) == path
    match = resolve(unquote(path))
    assert match.func is views.hide_tag
    assert match.kwargs == {"type": "freeform", "name": name}


@pytest.mark.parametrize(
    ("name", "args", "path", "view"),
    [
        ("people:settings", [], "/settings/", views.account_settings),
        ("people:profile_edit", [], "/settings/profile/", views.profile_edit),
        ("people:email_change", [], "/settings/email/", views.email_change),
        (
            "people:email_confirm",
            ["ab:c-d_e"],
            "/settings/email/confirm/ab:c-d_e/",
            views.email_confirm,
        ),
        ("people:theme", [], "/settings/theme/", views.theme),
        ("people:profile", ["kit.kat"], "/users/kit.kat/profile/", views.profile),
        ("people:block", ["kit.kat"], "/users/kit.kat/block/", views.block),
    ],
)
def test_the_account_pages_have_their_public_paths(
    name: str, args: list[str], path: str, view: object
) -> None:
    assert reverse(name, args=args) == path
    assert resolve(path).func is view
