"""The sign-up form.

``people.forms.SignupForm`` promises an account from a username, an email
and a password typed twice; a username no other account has, in any case;
and never a username a browser would read as a folder ("." or "..").
"""

from __future__ import annotations

import pytest

from fanfold.archive.people.forms import SignupForm
from fanfold.archive.people.models import User
from tests.archive.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signup(username: str, **fields: str) -> SignupForm:
    return SignupForm(
        {
            "username": username,
            "email": f"{username.strip('.') or 'dots'}@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            **fields,
        }
    )


def test_signing_up_makes_an_account_with_a_hashed_password() -> None:
    form = signup("kit.kat")
    assert form.is_valid(), form.errors
    user = form.save()
    user.refresh_from_db()
    assert (user.username, user.email) == ("kit.kat", "kit.kat@example.org")
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)


def test_the_form_asks_only_for_a_username_an_email_and_the_password_twice() -> None:
    assert list(SignupForm().fields) == ["username", "email", "password1", "password2"]


@pytest.mark.parametrize("username", [".", "..", "..."])
def test_a_username_of_only_dots_is_refused(username: str) -> None:
    form = signup(username)
    assert not form.is_valid()
    assert form.errors["username"] == ["A username needs a letter, digit or one of @ + - _."]


def test_a_username_taken_in_another_case_is_refused(author: User) -> None:
    form = signup("AUTHOR")
    assert not form.is_valid()
    assert "username" in form.errors
    assert User.objects.count() == 1


def test_two_different_passwords_are_refused() -> None:
    form = signup("quill", password2=PASSWORD + "!")
    assert not form.is_valid()
    assert list(form.errors) == ["password2"]


def test_a_username_with_a_slash_is_refused() -> None:
    """A "/" would split the author's page address in two."""
    form = signup("lady/lake")
    assert not form.is_valid()
    assert "username" in form.errors
