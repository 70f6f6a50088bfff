"""A login notes its session; a logout forgets it, and the account's sessions that ended."""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse

from fanfold.archive.people.models import SignInSession, User
from tests.archive.people.test_signin import logged_in


def test_a_login_is_noted_and_a_logout_forgets_it(reader: User) -> None:
    client = logged_in(reader, "Firefox")
    assert SignInSession.objects.get(user=reader).user_agent == "Firefox"
    client.post(reverse("people:logout"))
    assert not SignInSession.objects.filter(user=reader).exists()


def test_a_logout_also_forgets_sessions_that_expired(reader: User, author: User) -> None:
    expired = logged_in(reader, "Old")
    store = SessionStore(expired.session.session_key)
    store.set_expiry(-1)
    store.save()
    logged_in(reader, "Still here")
    logged_in(author, "Author's")
    logged_in(reader, "Leaving").post(reverse("people:logout"))
    assert sorted(SignInSession.objects.values_list("user_agent", flat=True)) == [
        "Author's",
        "Still here",
    ]
