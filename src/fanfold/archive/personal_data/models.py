"""A person's downloads of their own data, built by a worker into the data folder."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ExportState(models.TextChoices):
    QUEUED = "queued", "Being prepared"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Could not be made"


class DataExport(models.Model):
    """One zip of everything an account posted, asked for on the "Your data" page.

    ``file`` is relative to ``settings.DATA_DIR``; the file is never served
    as a static file, only by the owner's download view. An account has at
    most one export waiting at a time (the constraint), and keeps only its
    newest ready one.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    state = models.CharField(max_length=6, choices=ExportState.choices, default=ExportState.QUEUED)
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.CharField(max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0, help_text="Bytes")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(state="queued"), name="one_export_waiting"
            )
        ]
        indexes = [models.Index(fields=["user", "-requested_at"], name="exports_newest_first")]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.user_id} ({self.state})"
