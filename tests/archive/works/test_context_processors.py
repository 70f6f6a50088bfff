"""Template context every page gets.

``reading_preferences`` promises every template ``hide_notes``: True only
when this reader chose to hide authors' notes (kept in their session) or,
before they chose, when their account hides them by default; False
otherwise, including for a request with no session at all.
"""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.works.context_processors import reading_preferences
from tests.archive.factories import make_work


@pytest.mark.parametrize(("stored", "hidden"), [(True, True), (False, False), (None, False)])
def test_notes_are_hidden_only_when_the_reader_chose_so(
    db: None, stored: bool | None, hidden: bool
) -> None:
    request = RequestFactory().get("/")
    request.session = SessionStore()
    if stored is not None:
        request.session["hide_notes"] = stored
    assert reading_preferences(request) == {"hide_notes": hidden}


def test_a_request_without_a_session_shows_notes() -> None:
    assert reading_preferences(RequestFactory().get("/")) == {"hide_notes": False}


def test_every_page_gets_the_readers_choice(as_stranger: Client, author: User) -> None:
    work = make_work(owner=author)
    assert as_stranger.get(work.get_absolute_url()).context["hide_notes"] is False
    as_stranger.post(reverse("works:toggle_notes"), {"hide": "1", "next": "/"})
    assert as_stranger.get(work.get_absolute_url()).context["hide_notes"] is True
    assert as_stranger.get(reverse("search:works")).context["hide_notes"] is True


def test_before_the_button_is_pressed_the_accounts_default_decides(db: None) -> None:
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.user = User(hide_notes_by_default=True)
    assert reading_preferences(request) == {"hide_notes": True}
    request.session["hide_notes"] = False  # the button, pressed in this session
    assert reading_preferences(request) == {"hide_notes": False}
