"""Writes of a person's own data: asking for and building their download, deleting the account."""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import timedelta
from enum import StrEnum
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fanfold.archive.people.models import User
from fanfold.archive.personal_data import exports
from fanfold.archive.personal_data.models import DataExport, ExportState
from fanfold.archive.search.indexing import index_works
from fanfold.archive.works import versions
from fanfold.archive.works.models import Series, Work
from fanfold.archive.works.services import delete_work

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


def _export_files(user: User) -> list[str]:
    return [
        name for name in DataExport.objects.filter(user=user).values_list("file", flat=True) if name
    ]


# Deleting an account -----------------------------------------------------------------

ORPHAN_USERNAME = "orphan_account"  # AO3's name for the account orphaned works go to
ORPHAN_NAME_TAKEN = (
    "The archive's orphan account is held by a person (it has a password), so works cannot"
    " be orphaned to it. Tell the archive's staff; you can still delete your works."
)


class WorksChoice(StrEnum):
    ORPHAN = "orphan"
    DELETE = "delete"


def orphan_account() -> User:
    """The shared account orphaned works belong to, made the first time it is needed.

    Nobody logs in to it (no password, no address). A person who somehow
    holds the name with a password is never given other people's works.
    """
    try:
        with transaction.atomic():
            orphan, created = User.objects.get_or_create(
                username=ORPHAN_USERNAME, defaults={"password": make_password(None)}
            )
    except IntegrityError:  # made at the same moment by another deletion
        orphan, created = User.objects.get(username=ORPHAN_USERNAME), False
    if not created and (orphan.has_usable_password() or not orphan.is_active):
        raise ValidationError(ORPHAN_NAME_TAKEN)
    return orphan


def _orphan_works(user: User) -> None:
    orphan = orphan_account()
    work_ids = list(Work.objects.filter(owner=user).values_list("pk", flat=True))
    Work.objects.filter(pk__in=work_ids).update(owner=orphan)
    Series.objects.filter(owner=user).update(owner=orphan)
    index_works(work_ids)  # the full-text document names the author


def _delete_works(user: User) -> None:
    for work in Work.objects.filter(owner=user).order_by("pk"):
        delete_work(work=work, by=user)


def delete_account(*, user: User, works: WorksChoice) -> None:
    """Delete ``user``'s account, all or nothing, their works orphaned or deleted first.

    Their comments stay, shown as by "a deleted account"; bookmarks, kudos
    (off the works' counts), subscriptions, history, mutes and blocks go
    with the account; sessions end, since none can find the account again.
    Their download files are removed once the deletion is committed. A work
    has one owner in this archive, so there is no co-author to keep it.
    """
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.username == ORPHAN_USERNAME:
            raise ValidationError("The orphan account cannot be deleted.")
        files = _export_files(locked)
        if works == WorksChoice.ORPHAN:
            _orphan_works(locked)
        else:
            _delete_works(locked)
        # Their comments stay, now by "a deleted account": those works' pages change.
        versions.bump(locked.comments.values_list("work_id", flat=True))
        locked.delete()
        transaction.on_commit(lambda: _remove_files(files))
