"""Reports from visitors, suspensions of accounts, and the audit log of what staff did.

A report names exactly one target: a work, a comment or a person (three
nullable keys and a check, so each joins to its own table and the queue
reads them all with one query). The audit log keeps plain numbers and a
label for its target, so an entry outlives what it tells of; no page and no
admin screen edits or deletes it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fanfold.archive.comments.models import Comment
from fanfold.archive.works.models import Work

DETAILS_MAX = 5_000
AUDIT_REASON_MAX = 2_000


class Category(models.TextChoices):
    HARASSMENT = "harassment", "Harassment or hate"
    SPAM = "spam", "Spam or advertising"
    PLAGIARISM = "plagiarism", "Plagiarism"
    WRONG_TAGS = "wrong_tags", "Wrong rating or warnings"
    ILLEGAL = "illegal", "Illegal content"
    OTHER = "other", "Something else"


class ReportState(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"


class Report(models.Model):
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The account reported",
    )
    category = models.CharField(max_length=10, choices=Category.choices)
    details = models.TextField(max_length=DETAILS_MAX)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports_made",
    )
    email = models.EmailField(blank=True, default="", help_text="A guest's, to answer them")
    address = models.GenericIPAddressField(null=True, blank=True)
    state = models.CharField(max_length=9, choices=ReportState.choices, default=ReportState.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        permissions = [("moderate", "Can moderate: see reports, hide content, suspend accounts")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(work__isnull=False, comment__isnull=True, person__isnull=True)
                    | Q(work__isnull=True, comment__isnull=False, person__isnull=True)
                    | Q(work__isnull=True, comment__isnull=True, person__isnull=False)
                ),
                name="report_has_one_target",
            )
        ]
        indexes = [
            models.Index(fields=["id"], condition=Q(state="open"), name="report_open_oldest_first")
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.category})"

    @property
    def target_key(self) -> tuple[str, int]:
        """("work" | "comment" | "person", its id): what the queue groups by."""
        if self.work_id is not None:
            return ("work", self.work_id)
        if self.comment_id is not None:
            return ("comment", self.comment_id)
        assert self.person_id is not None
        return ("person", self.person_id)


class Suspension(models.Model):
    """An account barred from writing, until ``until`` (None: until lifted)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suspensions"
    )
    reason = models.TextField(max_length=AUDIT_REASON_MAX)
    until = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["person"], condition=Q(lifted_at__isnull=True), name="suspension_current"
            )
        ]

    def __str__(self) -> str:
        return f"Suspension of {self.person_id}"

    @property
    def is_in_force(self) -> bool:
        return self.lifted_at is None and (self.until is None or self.until > timezone.now())


class Action(models.TextChoices):
    HIDE_WORK = "hide_work", "Hid a work"
    RESTORE_WORK = "restore_work", "Restored a work"
    HIDE_COMMENT = "hide_comment", "Hid a comment"
    RESTORE_COMMENT = "restore_comment", "Restored a comment"
    SUSPEND = "suspend", "Suspended an account"
    LIFT_SUSPENSION = "lift", "Lifted a suspension"
    DISMISS_REPORT = "dismiss", "Dismissed a report"


class AuditEntry(models.Model):
    """One thing a member of staff did, and why: written once, never changed."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=16, choices=Action.choices)
    target_type = models.CharField(max_length=8)  # work, comment, person, report
    target_id = models.PositiveBigIntegerField()
    target_label = models.CharField(max_length=300)
    reason = models.TextField(max_length=AUDIT_REASON_MAX)
    until = models.DateTimeField(null=True, blank=True, help_text="A suspension's end")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["-created_at", "-id"], name="audit_newest_first")]

    def __str__(self) -> str:
        return f"{self.actor_name}: {self.get_action_display()} {self.target_label}"
