"""Reads of a person's own data downloads."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from fanfold.archive.people.models import User
from fanfold.archive.personal_data.models import DataExport, ExportState
from fanfold.archive.works.models import Work


def latest_export(*, user: User) -> DataExport | None:
    return DataExport.objects.filter(user=user).order_by("-requested_at", "-pk").first()


def export_file(*, user: User, export_id: int) -> Path | None:
    """The file of ``user``'s ready export ``export_id``; None for anyone else's or if gone."""
    export = DataExport.objects.filter(pk=export_id, user=user, state=ExportState.READY).first()
    if export is None or not export.file:
        return None
    path = Path(settings.DATA_DIR) / export.file
    return path if path.is_file() else None


def own_work_count(*, user: User) -> int:
    """How many works the account owns, drafts and hidden ones too."""
    return Work.objects.filter(owner=user).count()
