"""Inbox entries: one line in one person's inbox."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from fanfold.archive.works.models import Chapter, Work

EXCERPT_MAX = 500


class Kind(models.TextChoices):
    COMMENT = "comment", "Comment on your work"
    REPLY = "reply", "Reply to your comment"
    CHAPTER = "chapter", "New chapter"
    WORK = "work", "New work"
    NOTICE = "notice", "A moderator's notice"


class InboxEntry(models.Model):
    """Something ``recipient`` should know about ``work``.

    ``comment_id`` names the comment an entry is about (a comment or a reply)
    as a plain number: the comments app sits above this one, so it deletes
    the entries of a comment it deletes. ``notice_id`` likewise names the
    moderation app's audit entry behind a moderator's notice (NOTICE), which
    may be about a work, a comment on it, or the account alone (no work).
    ``actor_name`` keeps the name shown when the actor's account is gone or
    the actor was a guest.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_entries"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    work = models.ForeignKey(
        Work,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty only on a notice about the account itself",
    )
    chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    notice_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The moderation app's audit entry a notice tells of"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(max_length=150, blank=True, default="")
    excerpt = models.TextField(blank=True, default="", max_length=EXCERPT_MAX)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "inbox entries"
        constraints = [
            # Delivering twice (a replayed request, a retried task) adds nothing.
            models.UniqueConstraint(
                fields=["recipient", "kind", "comment_id"],
                condition=Q(comment_id__isnull=False, notice_id__isnull=True),
                name="inbox_once_a_comment",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "chapter"],
                condition=Q(comment_id__isnull=True, chapter__isnull=False, notice_id__isnull=True),
                name="inbox_once_a_chapter",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "work"],
                condition=Q(comment_id__isnull=True, chapter__isnull=True, notice_id__isnull=True),
                name="inbox_once_a_work",
            ),
            models.UniqueConstraint(
                fields=["recipient", "notice_id"],
                condition=Q(notice_id__isnull=False),
                name="inbox_once_a_notice",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="inbox_newest_first"),
            models.Index(
                fields=["recipient", "-created_at", "-id"],
                condition=Q(read_at__isnull=True),
                name="inbox_unread_newest_first",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} on work {self.work_id}"

    def get_absolute_url(self) -> str:
        """The chapter (or work) it is about; a comment's own place on that page.

        Reads only the ids on the row: no query. A notice about the account
        alone points at the inbox itself.
        """
        if self.work_id is None:
            return reverse("inbox:inbox")
        if self.chapter_id is not None:
            url = reverse("works:chapter", args=[self.work_id, self.chapter_id])
        else:
            url = reverse("works:work", args=[self.work_id])
        return f"{url}#comment-{self.comment_id}" if self.comment_id is not None else url

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
