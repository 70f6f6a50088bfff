"""Writes of a person's own data: asking for and building their download, deleting the account."""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fanfold.archive.people.models import User
from fanfold.archive.personal_data import exports
from fanfold.archive.personal_data.models import DataExport, ExportState

# A download costs a worker a pass over everything the account holds.
EXPORT_EVERY = timedelta(minutes=15)
EXPORT_TOO_SOON = (
    "You asked for a download less than 15 minutes ago. Use that one, or ask again later."
)


def exports_folder(user_id: int) -> Path:
    return Path(settings.DATA_DIR) / "exports" / str(user_id)


def create_export(*, user: User) -> tuple[DataExport, bool]:
    """A queued export of ``user``'s data; (the export, whether it is new).

    One waits at a time (a double click finds the first), and a new one at
    most every ``EXPORT_EVERY``. ``tasks.queue_export`` calls it and queues
    the job in the same transaction.
    """
    waiting = DataExport.objects.filter(user=user, state=ExportState.QUEUED).first()
    if waiting is not None:
        return waiting, False
    recent = DataExport.objects.filter(user=user, requested_at__gt=timezone.now() - EXPORT_EVERY)
    if recent.exists():
        raise ValidationError(EXPORT_TOO_SOON)
    try:
        with transaction.atomic():
            return DataExport.objects.create(user=user), True
    except IntegrityError:  # the same request twice at once: the other one made it
        return DataExport.objects.get(user=user, state=ExportState.QUEUED), False


def build_export(*, export_id: int) -> DataExport | None:
    """Write the zip of a queued export into the data folder and mark it ready.

    The file is written under a temporary name and renamed, so a download
    never reads half a file; the account's older downloads are removed.
    None when the export is gone (the account was deleted meanwhile) or built.
    """
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.state != ExportState.QUEUED:
        return None
    folder = exports_folder(export.user_id)
    path = folder / f"{export.pk}-{secrets.token_hex(8)}.zip"
    partial = path.with_suffix(".part")
    now = timezone.now()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        exports.write_export(export.user, partial, when=now)
        os.replace(partial, path)
    except Exception:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        DataExport.objects.filter(pk=export.pk).update(state=ExportState.FAILED, finished_at=now)
        raise
    with transaction.atomic():
        export.state, export.finished_at = ExportState.READY, timezone.now()
        export.file = path.relative_to(settings.DATA_DIR).as_posix()
        export.size = path.stat().st_size
        export.save(update_fields=["state", "finished_at", "file", "size"])
        older = DataExport.objects.filter(user_id=export.user_id, pk__lt=export.pk)
        old_files = [name for name in older.values_list("file", flat=True) if name]
        older.exclude(state=ExportState.QUEUED).delete()
    _remove_files(old_files)
    return export


def _remove_files(names: list[str]) -> None:
    for name in names:
        (Path(settings.DATA_DIR) / name).unlink(missing_ok=True)


def forget_exports(*, user: User) -> None:
    """Remove every download file of ``user`` (their rows go with the account)."""
    _remove_files(
        [
            name
            for name in DataExport.objects.filter(user=user).values_list("file", flat=True)
            if name
        ]
    )
