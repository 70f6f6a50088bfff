"""``works.feeds``: Atom feeds of a work's chapters and an author's works, as strangers see them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.works import services
from tests.archive.factories import make_work

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client: Client, url: str) -> list[str]:
    """The entry titles of the Atom feed at ``url``."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return [entry.findtext(f"{ATOM}title", "") for entry in feed.iter(f"{ATOM}entry")]


def test_a_works_feed_lists_its_posted_chapters_newest_first(client: Client, author: User) -> None:
    work = make_work(owner=author, chapters=3)
    draft = services.add_chapter(
        work=work,
        by=author,
        fields=services.ChapterFields(body="Soon.", title="Not yet"),
        post=False,
    )
    titles = entries(client, reverse("works:work_feed", args=[work.pk]))
    assert titles == ["Chapter 3", "Chapter 2", "Chapter 1: Morning"]
    assert draft.heading not in titles


def test_a_feed_is_linked_from_the_work_page(client: Client, author: User) -> None:
    work = make_work(owner=author)
    page = client.get(reverse("works:work", args=[work.pk])).content.decode()
    assert f'type="application/atom+xml" title="New chapters of {work.title}"' in page


def test_no_feed_for_a_restricted_draft_or_hidden_work_even_for_its_author(
    as_author: Client, author: User, admin: User
) -> None:
    restricted = make_work(owner=author, title="Members", restricted=True)
    draft = make_work(owner=author, title="Draft", post=False)
    hidden = make_work(owner=author, title="Hidden")
    services.set_work_hidden(work=hidden, by=admin, hidden=True)
    for work in (restricted, draft, hidden):
        assert as_author.get(reverse("works:work_feed", args=[work.pk])).status_code == 404
    page = as_author.get(reverse("works:work", args=[restricted.pk])).content.decode()
    assert "application/atom+xml" not in page


def test_an_authors_feed_lists_only_what_anyone_may_read(as_author: Client, author: User) -> None:
    make_work(owner=author, title="Open Sea")
    make_work(owner=author, title="Members", restricted=True)
    make_work(owner=author, title="Draft", post=False)
    assert entries(as_author, reverse("works:author_feed", args=["author"])) == ["Open Sea"]


def test_an_unknown_authors_feed_is_not_found(client: Client, db: None) -> None:
    assert client.get(reverse("works:author_feed", args=["nobody"])).status_code == 404
