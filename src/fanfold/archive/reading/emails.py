"""The emails subscriptions send: one new work or chapter, or a day's digest.

Plain text, one recipient each (no subscriber learns who else follows),
links made absolute with ``settings.SITE_URL`` because they are written
without a request. They name titles and authors, never chapter text: a
restricted work's words stay behind its login.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from fanfold.archive.inbox.models import InboxEntry
from fanfold.archive.works.models import Chapter, Work
from fanfold.formats.userhtml import to_plain_text

__all__ = ["EmailMessage", "digest", "link", "new_posts", "post_excerpt", "subject_for"]


def link(path: str) -> str:
    """An absolute link to a page of the archive, for an email."""
    return f"{settings.SITE_URL}{path}"


def subject_for(*, work: Work, chapter: Chapter | None) -> str:
    """The subject line of one new post.

    >>> from fanfold.archive.people.models import User
    >>> work = Work(title="Salt", owner=User(username="kit"))
    >>> subject_for(work=work, chapter=None)
    'New work by kit: Salt'
    >>> subject_for(work=work, chapter=Chapter(work=work, number=3, title="Tide"))
    'New chapter of Salt: Chapter 3: Tide'
    """
    if chapter is None:
        return f"New work by {work.owner.username}: {work.title}"
    return f"New chapter of {work.title}: {chapter.heading}"


def post_excerpt(*, work: Work, chapter: Chapter | None) -> str:
    """An inbox line for a post: the chapter's heading and summary, or the work's summary."""
    if chapter is None:
        return to_plain_text(work.summary)
    summary = to_plain_text(chapter.summary)
    return f"{chapter.heading}. {summary}" if summary else chapter.heading


def new_posts(*, to: Sequence[str], work: Work, chapter: Chapter | None) -> list[EmailMessage]:
    """One email per address, all saying the same (written once, however many subscribers)."""
    target = chapter.get_absolute_url() if chapter else work.get_absolute_url()
    body = render_to_string(
        "reading/email/new_post.txt",
        {
            "work": work,
            "chapter": chapter,
            "link": link(target),
            "subscriptions_link": link(reverse("reading:subscriptions")),
        },
    )
    subject = subject_for(work=work, chapter=chapter)
    return [EmailMessage(subject, body, to=[address]) for address in to]


def digest(*, to: str, entries: Sequence[InboxEntry]) -> EmailMessage:
    """One email listing every entry, oldest first, each with its link."""
    lines = [
        (
            subject_for(work=e.work, chapter=e.chapter),
            link(e.chapter.get_absolute_url() if e.chapter else e.work.get_absolute_url()),
        )
        for e in entries
        if e.work is not None  # a digest's kinds are all about a work
    ]
    body = render_to_string(
        "reading/email/digest.txt",
        {"lines": lines, "subscriptions_link": link(reverse("reading:subscriptions"))},
    )
    count = len(entries)
    subject = f"Your daily digest: {count} new {'post' if count == 1 else 'posts'}"
    return EmailMessage(subject, body, to=[to])
