"""Comments on a chapter or a whole work, threaded.

A comment answers a chapter, or the whole work when ``chapter`` is empty.
Replies point at their ``parent`` and at the ``root`` of their thread, so a
page of threads fetches all their replies with one query however deep they
go. A deleted comment that has replies stays as a tombstone (state DELETED,
no body) so the thread around it stays whole. A comment a moderator hid
(state HIDDEN, by the moderation app) keeps its place and its text: others
see "hidden by a moderator", staff the text, and restoring it publishes it again.

Who wrote it: an account (``user``), or a guest under ``guest_name``. When
an account is deleted its comments stay, shown as "a deleted account"
(``user`` is set to null and ``guest_name`` stays empty): removing them
would tear replies from their threads and take other people's answers
away with them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fanfold.archive.works.models import Chapter, Work

COMMENT_BODY_MAX = 10_000  # AO3's limit, counted on what was typed
GUEST_NAME_MAX = 100


class State(models.TextChoices):
    PUBLISHED = "published", "Published"
    PENDING = "pending", "Waiting for the author's approval"
    DELETED = "deleted", "Deleted (kept for its replies)"
    HIDDEN = "hidden", "Hidden by a moderator"


class Comment(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="comments")
    chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The thread's first comment (empty on that comment itself)",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    guest_name = models.CharField(max_length=GUEST_NAME_MAX, blank=True, default="")
    body = models.TextField(blank=True, help_text="Sanitised HTML; empty on a tombstone")
    state = models.CharField(max_length=9, choices=State.choices, default=State.PUBLISHED)
    is_frozen = models.BooleanField(default=False, help_text="No more replies in this thread")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # A page of threads: a chapter's (or the whole work's) first
            # comments, oldest first, then every reply of those threads.
            models.Index(
                fields=["work", "chapter", "id"],
                condition=Q(parent__isnull=True),
                name="comment_threads_by_chapter",
            ),
            models.Index(
                fields=["work", "id"],
                condition=Q(parent__isnull=True),
                name="comment_threads_by_work",
            ),
            models.Index(fields=["root", "id"], name="comment_thread_replies"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on work {self.work_id}"

    @property
    def author_name(self) -> str:
        """The name shown: the account's, the guest's, or "a deleted account"."""
        if self.user is not None:
            return str(self.user.username)
        return self.guest_name or "a deleted account"

    @property
    def is_guest(self) -> bool:
        return self.user_id is None and bool(self.guest_name)

    @property
    def thread_id(self) -> int:
        return self.root_id or self.pk
