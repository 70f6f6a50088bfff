"""Uploaded files waiting for their author to confirm an import.

The import preview shows what Fanfold read from the files; the author
corrects it and confirms. Between the two requests the files wait on disk
under ``<data dir>/imports/<user id>/<token>/`` (never in the session:
they can be megabytes). Confirming reads them again, so what is imported
is exactly what the preview showed. Uploads older than a day are removed
whenever the same author uploads again.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings

from fanfold.formats.readers.general import MAX_FILE_BYTES

MAX_UPLOAD_FILES = 200
MAX_UPLOAD_BYTES = MAX_FILE_BYTES  # for all files together
_KEEP_SECONDS = 24 * 3600
_MANIFEST = "names.json"


class UploadNotFoundError(LookupError):
    """No waiting upload with this token for this author (expired, used, or not theirs)."""


def _folder(owner_id: int) -> Path:
    return Path(settings.DATA_DIR) / "imports" / str(owner_id)


def store_upload(*, owner_id: int, files: Sequence[tuple[str, bytes]]) -> str:
    """Keep the files for a later confirmation; returns the token that names them."""
    _remove_stale(owner_id)
    token = secrets.token_urlsafe(12)
    folder = _folder(owner_id) / token
    folder.mkdir(parents=True)
    # Stored under numbers: user-supplied names never become paths.
    for number, (_, data) in enumerate(files):
        (folder / f"{number:04d}").write_bytes(data)
    names = [Path(name).name or f"file{number}" for number, (name, _) in enumerate(files)]
    (folder / _MANIFEST).write_text(json.dumps(names), encoding="utf-8")
    return token


def load_upload(*, owner_id: int, token: str) -> list[tuple[str, bytes]]:
    folder = _checked_folder(owner_id, token)
    names: list[str] = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
    return [(name, (folder / f"{number:04d}").read_bytes()) for number, name in enumerate(names)]


def discard_upload(*, owner_id: int, token: str) -> None:
    shutil.rmtree(_checked_folder(owner_id, token), ignore_errors=True)


def _checked_folder(owner_id: int, token: str) -> Path:
    if not token.replace("-", "").replace("_", "").isalnum():
        raise UploadNotFoundError(token)
    folder = _folder(owner_id) / token
    if not (folder / _MANIFEST).is_file():
        raise UploadNotFoundError(token)
    return folder


def _remove_stale(owner_id: int) -> None:
    folder = _folder(owner_id)
    if not folder.is_dir():
        return
    cutoff = time.time() - _KEEP_SECONDS
    for upload in folder.iterdir():
        if upload.stat().st_mtime < cutoff:
            shutil.rmtree(upload, ignore_errors=True)
