"""Uploaded files waiting for their author to confirm an import.

The import preview shows what Fanfold read from the files; the author
corrects it and confirms. Between the two requests the files wait in the
database (``PendingUpload``), never in the session (they can be megabytes)
and never on one server's disk (the confirmation may reach another app
server). Confirming reads them again, so what is imported is exactly what
the preview showed. Uploads older than a day are removed whenever the same
author uploads again.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import timedelta
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone

from fanfold.archive.works.models import PendingUpload, PendingUploadFile
from fanfold.formats.safety import MAX_FILE_BYTES

MAX_UPLOAD_FILES = 200
MAX_UPLOAD_BYTES = MAX_FILE_BYTES  # for all files together
KEEP_FOR = timedelta(days=1)


class UploadNotFoundError(LookupError):
    """No waiting upload with this token for this author (expired, used, or not theirs)."""


@transaction.atomic
def store_upload(*, owner_id: int, files: Sequence[tuple[str, bytes]]) -> str:
    """Keep the files for a later confirmation; returns the token that names them."""
    PendingUpload.objects.filter(
        owner_id=owner_id, created_at__lt=timezone.now() - KEEP_FOR
    ).delete()
    upload = PendingUpload.objects.create(owner_id=owner_id, token=secrets.token_urlsafe(12))
    PendingUploadFile.objects.bulk_create(
        PendingUploadFile(
            upload=upload,
            position=number,
            # Only the base name: a path in a file's name is never kept.
            name=(PurePath(name.replace("\\", "/")).name or f"file{number}")[:255],
            data=data,
        )
        for number, (name, data) in enumerate(files)
    )
    return upload.token


def load_upload(*, owner_id: int, token: str) -> list[tuple[str, bytes]]:
    files = PendingUploadFile.objects.filter(
        upload__owner_id=owner_id,
        upload__token=token,
        upload__created_at__gte=timezone.now() - KEEP_FOR,
    )
    found = [(file.name, bytes(file.data)) for file in files]
    if not found:
        raise UploadNotFoundError(token)
    return found


def discard_upload(*, owner_id: int, token: str) -> None:
    PendingUpload.objects.filter(owner_id=owner_id, token=token).delete()
