"""What readers leave on works and keep for themselves: kudos, bookmarks, subscriptions, history.

A kudos is once per account, or once per guest per work. A guest is known
by a keyed hash of their address and the work (``guest_key``): the archive
can tell the same guest came back to the same work, but keeps no address
and cannot follow a guest from one work to another.

A subscription follows exactly one of a work, a series or an author; a
reading is one reader's record of one work (the last chapter opened, how
often, and whether they marked it for later); a digest mark is how far a
reader's daily email has gone through their inbox.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fanfold.archive.tags.models import Tag
from fanfold.archive.works.models import Chapter, Series, Work


class Kudos(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    guest_key = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "kudos"
        constraints = [
            models.UniqueConstraint(
                fields=["work", "user"], condition=Q(user__isnull=False), name="kudos_once_a_reader"
            ),
            models.UniqueConstraint(
                fields=["work", "guest_key"], condition=~Q(guest_key=""), name="kudos_once_a_guest"
            ),
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(guest_key=""))
                | (Q(user__isnull=True) & ~Q(guest_key="")),
                name="kudos_from_a_reader_or_a_guest",
            ),
        ]
        indexes = [models.Index(fields=["work", "created_at"])]

    def __str__(self) -> str:
        return f"kudos on work {self.work_id}"


class Subscription(models.Model):
    """``user`` hears of new chapters and works of one work, series or author."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscribers",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(work__isnull=False, series__isnull=True, author__isnull=True)
                    | Q(work__isnull=True, series__isnull=False, author__isnull=True)
                    | Q(work__isnull=True, series__isnull=True, author__isnull=False)
                ),
                name="subscription_to_one_thing",
            ),
            models.UniqueConstraint(
                fields=["user", "work"], condition=Q(work__isnull=False), name="subscribe_work_once"
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=Q(series__isnull=False),
                name="subscribe_series_once",
            ),
            models.UniqueConstraint(
                fields=["user", "author"],
                condition=Q(author__isnull=False),
                name="subscribe_author_once",
            ),
        ]
        # Fan-out asks "who follows this work, series or author": one index each.
        indexes = [
            models.Index(
                fields=["work"], condition=Q(work__isnull=False), name="subscribers_of_work"
            ),
            models.Index(
                fields=["series"], condition=Q(series__isnull=False), name="subscribers_of_series"
            ),
            models.Index(
                fields=["author"], condition=Q(author__isnull=False), name="subscribers_of_author"
            ),
            models.Index(fields=["user", "-created_at", "-id"], name="subscriptions_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.work_id or self.series_id or self.author_id}"


class Reading(models.Model):
    """One reader's record of one work: their history line and their "marked for later".

    ``last_chapter`` is the chapter they last opened on its own page (the
    whole work on one page leaves it as it was); ``last_read_at`` is None
    for a work only marked for later, never opened.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="readings"
    )
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="readings")
    last_chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_read_at = models.DateTimeField(null=True, blank=True)
    visits = models.PositiveIntegerField(default=0)
    marked_for_later = models.BooleanField(default=False)
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="one_reading_a_work"),
        ]
        # The history page and its "marked for later" filter, newest first (keyset pages).
        indexes = [
            models.Index(
                fields=["user", "-last_read_at", "-id"],
                condition=Q(last_read_at__isnull=False),
                name="history_newest_first",
            ),
            models.Index(
                fields=["user", "-marked_at", "-id"],
                condition=Q(marked_for_later=True),
                name="later_newest_first",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read work {self.work_id}"


class DigestMark(models.Model):
    """How far ``user``'s daily digest has gone: the last inbox entry it emailed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_mark"
    )
    last_entry_id = models.PositiveBigIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"digest of {self.user_id} up to entry {self.last_entry_id}"


BOOKMARK_NOTES_MAX = 5000  # characters as typed, like a work's notes
BOOKMARK_TAGS_MAX = 75  # a bookmarker's own tags, AO3's limit for a work's tags


class Bookmark(models.Model):
    """A reader's bookmark of one work or one series, with their notes and tags.

    The bookmarker's own tags are real tags (``tags.Tag``), found or created
    as unwrangled "Additional Tags" by the tags app's service, as AO3 does:
    "slow burn" on a bookmark is the same tag as on a work, links to the
    tag's page, and follows the wrangling (a synonym filters as its
    canonical tag). A plain comma list would cost less but name things the
    archive cannot link or filter on. A bookmarker's tags never enter the
    work's own tags or the filter index: they describe the bookmark.

    ``Work.bookmark_count`` counts the public bookmarks of a work (as AO3
    shows it); the reading services keep it exact.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    notes = models.TextField(blank=True, help_text="Sanitised HTML")
    tags = models.ManyToManyField(Tag, blank=True, related_name="bookmarks")
    is_private = models.BooleanField(default=False, help_text="Seen by the bookmarker only")
    is_rec = models.BooleanField(default=False, help_text="Recommended to others")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(work__isnull=False) & Q(series__isnull=True))
                | (Q(work__isnull=True) & Q(series__isnull=False)),
                name="bookmark_of_a_work_or_a_series",
            ),
            models.UniqueConstraint(
                fields=["user", "work"],
                condition=Q(work__isnull=False),
                name="bookmark_once_a_work",
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=Q(series__isnull=False),
                name="bookmark_once_a_series",
            ),
        ]
        indexes = [
            # A work's public bookmarks, newest first (keyset pages).
            models.Index(
                fields=["work", "is_private", "created_at", "id"], name="bookmark_of_work"
            ),
            models.Index(fields=["series", "is_private"], name="bookmark_of_series"),
        ]

    def __str__(self) -> str:
        what = f"work {self.work_id}" if self.work_id else f"series {self.series_id}"
        return f"bookmark of {what} by {self.user_id}"
