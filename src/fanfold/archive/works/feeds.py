"""Atom feeds a feed reader follows without an account: a work's chapters, an author's works.

Feeds are read as a stranger reads: a draft, a hidden or a restricted work,
and a draft chapter, never appear, whoever asks.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from fanfold.archive.pages import found
from fanfold.archive.people import selectors as people
from fanfold.archive.people.models import User
from fanfold.archive.works import selectors
from fanfold.archive.works.models import Chapter, Work

FEED_ENTRIES = 20
STRANGER = AnonymousUser()


class WorkChaptersFeed(Feed[Chapter, Work]):
    """A work's posted chapters, newest first: readers learn when a chapter lands."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, work_id: int) -> Work:
        try:
            work = selectors.work_for_reading(work_id=work_id, viewer=STRANGER)
        except selectors.RestrictedWorkError:
            raise Http404("No feed for a work only logged-in readers may read") from None
        return found(work, "work")

    def title(self, obj: Work) -> str:
        return f"{obj.title} by {obj.owner.username}"

    def link(self, obj: Work) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Work) -> str:
        return f"New chapters of {obj.title}"

    def items(self, obj: Work) -> list[Chapter]:
        chapters = selectors.readable_chapters(work=obj, viewer=STRANGER)
        return sorted(chapters, key=lambda c: c.position, reverse=True)[:FEED_ENTRIES]

    def item_title(self, item: Chapter) -> str:
        return item.heading

    def item_description(self, item: Chapter) -> str:
        return item.summary or f"{item.word_count:,} words"

    def item_pubdate(self, item: Chapter) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Chapter) -> datetime | None:
        return item.published_at


class AuthorWorksFeed(Feed[Work, User]):
    """An author's works anyone may read, most recently updated first."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, username: str) -> User:
        return found(people.active_user(username=username), "author")

    def title(self, obj: User) -> str:
        return f"Works by {obj.username}"

    def link(self, obj: User) -> str:
        return reverse("works:author", args=[obj.username])

    def items(self, obj: User) -> list[Work]:
        return list(selectors.works_by_author(author=obj, viewer=STRANGER)[:FEED_ENTRIES])

    def item_title(self, item: Work) -> str:
        return item.title

    def item_description(self, item: Work) -> str:
        return item.summary or f"Chapters: {item.chapters_label}"

    def item_pubdate(self, item: Work) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Work) -> datetime | None:
        return item.updated_at
