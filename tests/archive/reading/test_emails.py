"""``reading.emails``: what a subscriber's email says, with absolute links and no chapter text."""

from __future__ import annotations

from typing import Any

from fanfold.archive.inbox.models import InboxEntry, Kind
from fanfold.archive.people.models import User
from fanfold.archive.reading import emails
from fanfold.archive.works import services as works
from tests.archive.factories import make_work


def test_a_new_chapter_email_links_to_the_chapter_and_the_subscriptions(
    author: User, settings: Any
) -> None:
    settings.SITE_URL = "https://archive.example"
    work = make_work(owner=author, title="Salt")
    chapter = works.add_chapter(
        work=work,
        by=author,
        fields=works.ChapterFields(body="A secret only readers should see.", title="Tide"),
        post=True,
    )
    message, other = emails.new_posts(
        to=["r@example.org", "s@example.org"], work=work, chapter=chapter
    )
    assert (message.to, other.to) == (["r@example.org"], ["s@example.org"])  # nobody sees others
    assert message.subject == "New chapter of Salt: Chapter 2: Tide"
    assert f"https://archive.example/works/{work.pk}/chapters/{chapter.pk}/" in message.body
    assert "https://archive.example/subscriptions/" in message.body
    assert "author posted Chapter 2: Tide of Salt." in message.body
    assert "secret" not in message.body


def test_a_digest_lists_every_post(author: User, reader: User) -> None:
    one, two = make_work(owner=author, title="One & Two"), make_work(owner=author, title="Three")
    entries = [
        InboxEntry(recipient=reader, kind=Kind.WORK, work=one),
        InboxEntry(recipient=reader, kind=Kind.CHAPTER, work=two, chapter=two.chapters.get()),
    ]
    message = emails.digest(to=reader.email, entries=entries)
    assert message.subject == "Your daily digest: 2 new posts"
    assert "New work by author: One & Two" in message.body  # plain text: no &amp;
    assert "New chapter of Three: Chapter 1: Morning" in message.body


def test_an_inbox_line_shows_the_heading_and_the_summary(author: User) -> None:
    work = make_work(owner=author, summary="<p>Sea <em>and</em> salt.</p>")
    chapter = work.chapters.get()
    assert emails.post_excerpt(work=work, chapter=None) == "Sea and salt."
    assert emails.post_excerpt(work=work, chapter=chapter) == "Chapter 1: Morning"
