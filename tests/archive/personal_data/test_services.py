"""Writes of a person's own data: asking for a download and building it.

``personal_data.services`` promises one waiting download per account and at
most one new one every 15 minutes (a clear refusal otherwise); a build that
replaces the account's older download, files included; and a failed build
recorded as failed, leaving no partial file.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from fanfold.archive.people.models import User
from fanfold.archive.personal_data import services
from fanfold.archive.personal_data.models import DataExport, ExportState

pytestmark = pytest.mark.django_db


def built(user: User) -> DataExport:
    export, _ = services.create_export(user=user)
    result = services.build_export(export_id=export.pk)
    assert result is not None
    return result


def test_a_new_download_replaces_the_old_one_and_its_file(author: User) -> None:
    first = built(author)
    DataExport.objects.filter(pk=first.pk).update(requested_at=timezone.now() - timedelta(hours=1))
    second = built(author)
    assert list(DataExport.objects.filter(user=author)) == [second]
    assert not (Path(settings.DATA_DIR) / first.file).exists()
    assert (Path(settings.DATA_DIR) / second.file).exists()


def test_a_new_download_within_15_minutes_is_refused(author: User) -> None:
    built(author)
    with pytest.raises(ValidationError, match="less than 15 minutes ago"):
        services.create_export(user=author)


def test_a_failed_build_is_recorded_and_leaves_no_file(author: User) -> None:
    export, _ = services.create_export(user=author)
    blocked = services.exports_folder(author.pk)
    blocked.parent.mkdir(parents=True)
    blocked.write_text("a file where the folder should be")  # the disk refuses the zip
    with pytest.raises(FileExistsError):
        services.build_export(export_id=export.pk)
    export.refresh_from_db()
    assert export.state == ExportState.FAILED
    assert [path.name for path in blocked.parent.iterdir()] == [str(author.pk)]


def test_building_twice_builds_once(author: User) -> None:
    export = built(author)
    assert services.build_export(export_id=export.pk) is None


def test_forget_exports_removes_the_files(author: User) -> None:
    export = built(author)
    services.forget_exports(user=author)
    assert not (Path(settings.DATA_DIR) / export.file).exists()
