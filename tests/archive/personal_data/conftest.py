"""An author with a shelf of everything an account can post, beside another person's."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache

from fanfold.archive.comments import services as comments
from fanfold.archive.comments.models import Comment
from fanfold.archive.people.models import User
from fanfold.archive.reading import services as reading
from fanfold.archive.works import services as works
from fanfold.archive.works.models import Series, Work
from tests.archive.factories import UserFactory, make_work


@pytest.fixture(autouse=True)
def fresh_comment_limits() -> None:
    """Comments count against a per-account rate limit kept in the cache; start each test anew."""
    cache.clear()


@dataclass
class Shelf:
    posted: Work
    draft: Work
    series: Series
    other: User
    theirs: Work
    their_secret: Work
    comment: Comment


@pytest.fixture
def shelf(author: User) -> Shelf:
    """The author's posted work (2 chapters, notes) in a series, a draft; and their reading.

    ``other`` has a posted work the author comments on, bookmarks, gives kudos
    and follows, and a work the author bookmarked before it went back to draft
    ("Their Secret", with a secret line: nothing of it may reach the export).
    """
    posted = make_work(
        owner=author, title="Salt Roads", chapters=2, body="The tide came in over the salt road."
    )
    works.update_chapter(
        chapter=posted.chapters.get(position=1),
        by=author,
        fields=works.ChapterFields(
            title="Morning", notes="Thanks to my beta.", body="The tide came in over the salt road."
        ),
    )
    draft = make_work(owner=author, title="Unfinished Harbour", post=False, body="Draft words.")
    series = works.create_series(owner=author, title="The Coast")
    works.join_series(work=posted, by=author, series=series)
    other = UserFactory(username="other")
    theirs = make_work(owner=other, title="Lighthouse")
    secret = make_work(owner=other, title="Their Secret", body="SECRET-LINE-OF-OTHER")
    comment = comments.post_comment(work=theirs, body="I loved the lamp.", user=author)
    reading.leave_kudos(work=theirs, user=author)
    reading.leave_kudos(work=secret, user=author)
    reading.subscribe(user=author, target=theirs)
    reading.save_bookmark(
        user=author, work=theirs, fields=reading.BookmarkFields(notes="Read again", tags=("cosy",))
    )
    reading.save_bookmark(user=author, work=secret, fields=reading.BookmarkFields())
    Work.objects.filter(pk=secret.pk).update(is_draft=True)  # back to draft, after all that
    return Shelf(posted, draft, series, other, theirs, secret, comment)
