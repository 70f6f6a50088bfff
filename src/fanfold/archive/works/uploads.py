"""Imports waiting for their author to confirm the preview.

The import preview shows what Fanfold read from the uploaded files; the
author corrects it and confirms. The files are read once, when they are
uploaded, and what was read waits in the database (``PendingUpload``):
never in the session (it can be megabytes) and never on one server's disk
(the confirmation may reach another app server). Every view of the preview
and the confirmation use that one reading.

What waits is bounded: each author may keep ``MAX_PENDING_PER_AUTHOR``
uploads of at most ``MAX_PENDING_BYTES_PER_AUTHOR`` together, and any upload
older than ``KEEP_FOR`` is removed, by every new upload and by
``fanfold expire_uploads`` (run it daily from cron or a systemd timer).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from fanfold.archive.works.models import TITLE_MAX, PendingUpload
from fanfold.formats.model import ParsedWork, work_from_json, work_to_json
from fanfold.formats.safety import MAX_FILE_BYTES

# Django refuses a request with more files than this before any view runs
# (with a page saying why: fanfold.archive.errors), so the form and it agree.
MAX_UPLOAD_FILES = settings.DATA_UPLOAD_MAX_NUMBER_FILES
MAX_UPLOAD_BYTES = MAX_FILE_BYTES  # for all files of one upload together
MAX_PENDING_PER_AUTHOR = 5
MAX_PENDING_BYTES_PER_AUTHOR = 50 * 1024 * 1024
KEEP_FOR = timedelta(days=1)


class UploadNotFoundError(LookupError):
    """No waiting upload with this token for this author (expired, used, or not theirs)."""


class UploadQuotaError(Exception):
    """The author already has as many uploads waiting as they may keep."""


@dataclass(frozen=True)
class WaitingUpload:
    """What was read from an upload, and the tags the reading engine suggested for it."""

    parsed: ParsedWork
    characters: tuple[str, ...]
    relationships: tuple[str, ...]
    # The evidence of each suggestion: a character's mentions, how often a pair meets.
    counts: Mapping[str, int] = field(default_factory=dict)


@transaction.atomic
def store_upload(
    *,
    owner_id: int,
    parsed: ParsedWork,
    characters: tuple[str, ...] = (),
    relationships: tuple[str, ...] = (),
    counts: Mapping[str, int] | None = None,
) -> str:
    """Keep what was read for a later confirmation; returns the token that names it.

    Raises ``UploadQuotaError`` (with a message for the author) when it
    would take the author past their quota.
    """
    expire_uploads()
    kept = work_to_json(parsed)
    size = len(kept.encode())
    check_quota(owner_id=owner_id, adding=size)
    upload = PendingUpload.objects.create(
        owner_id=owner_id,
        token=secrets.token_urlsafe(12),
        title=parsed.title[:TITLE_MAX],
        parsed=kept,
        suggestions={
            "characters": list(characters),
            "relationships": list(relationships),
            "counts": dict(counts or {}),
        },
        size=size,
    )
    return upload.token


def check_quota(*, owner_id: int, adding: int = 0) -> None:
    """Raise ``UploadQuotaError`` if keeping ``adding`` more bytes would pass the quota."""
    waiting = PendingUpload.objects.filter(
        owner_id=owner_id, created_at__gte=timezone.now() - KEEP_FOR
    ).aggregate(count=Count("pk"), size=Sum("size"))
    if waiting["count"] >= MAX_PENDING_PER_AUTHOR:
        raise UploadQuotaError(
            f"You have {waiting['count']} imports waiting to be confirmed; "
            "confirm or cancel one of them first."
        )
    total = (waiting["size"] or 0) + adding
    if total > MAX_PENDING_BYTES_PER_AUTHOR:
        raise UploadQuotaError(
            f"Your imports waiting to be confirmed would come to {filesizeformat(total)}; "
            f"at most {filesizeformat(MAX_PENDING_BYTES_PER_AUTHOR)} may wait. "
            "Confirm or cancel one of them first."
        )


def load_upload(*, owner_id: int, token: str) -> WaitingUpload:
    upload = PendingUpload.objects.filter(
        owner_id=owner_id, token=token, created_at__gte=timezone.now() - KEEP_FOR
    ).first()
    if upload is None:
        raise UploadNotFoundError(token)
    suggestions = upload.suggestions or {}
    return WaitingUpload(
        parsed=work_from_json(upload.parsed),
        characters=tuple(suggestions.get("characters", ())),
        relationships=tuple(suggestions.get("relationships", ())),
        counts=suggestions.get("counts", {}),
    )


def waiting_uploads(*, owner_id: int) -> list[PendingUpload]:
    """The author's uploads still waiting, newest first (without what was read)."""
    return list(
        PendingUpload.objects.filter(owner_id=owner_id, created_at__gte=timezone.now() - KEEP_FOR)
        .defer("parsed")
        .order_by("-created_at")
    )


def discard_upload(*, owner_id: int, token: str) -> None:
    PendingUpload.objects.filter(owner_id=owner_id, token=token).delete()


def expire_uploads() -> int:
    """Remove every upload older than ``KEEP_FOR``; returns how many went."""
    deleted, _ = PendingUpload.objects.filter(created_at__lt=timezone.now() - KEEP_FOR).delete()
    return deleted
