"""The header's "Inbox (N unread)".

``inbox.context_processors.inbox`` promises a logged-in person's unread count
to every template, counted only when shown, and nothing for a guest.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from fanfold.archive.inbox import services
from fanfold.archive.inbox.context_processors import inbox
from fanfold.archive.inbox.models import Kind
from fanfold.archive.people.models import User
from tests.archive.factories import make_work


def test_a_guest_gets_no_count() -> None:
    request = RequestFactory().get("/")
    assert inbox(request) == {}
    request.user = AnonymousUser()
    assert inbox(request) == {}


def test_the_count_is_one_query_made_only_when_shown(author: User, reader: User) -> None:
    work = make_work(owner=author)
    for comment_id in (1, 2):
        services.deliver(recipients=[author], kind=Kind.COMMENT, work=work, comment_id=comment_id)
    request = RequestFactory().get("/")
    request.user = author
    with CaptureQueriesContext(connection) as queries:
        count = inbox(request)["inbox_unread"]
        assert len(queries) == 0
        assert str(count) == "2"
        assert len(queries) == 1


def test_the_header_shows_the_unread_count(as_author: Client, author: User) -> None:
    assert "Inbox</a>" in as_author.get("/").content.decode()
    work = make_work(owner=author)
    services.deliver(recipients=[author], kind=Kind.COMMENT, work=work, comment_id=1)
    assert "Inbox (1 unread)</a>" in as_author.get("/").content.decode()
