"""What readers leave on works and keep for themselves: kudos, subscriptions, history.

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
