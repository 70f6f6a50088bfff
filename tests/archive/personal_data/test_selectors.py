"""Reads of downloads: a person's latest, and a ready file only to its owner."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from fanfold.archive.people.models import User
from fanfold.archive.personal_data import selectors, services

pytestmark = pytest.mark.django_db


def test_a_ready_file_is_found_for_its_owner_only(author: User, reader: User) -> None:
    assert selectors.latest_export(user=author) is None
    export, _ = services.create_export(user=author)
    assert selectors.export_file(user=author, export_id=export.pk) is None  # not built yet
    services.build_export(export_id=export.pk)
    assert selectors.latest_export(user=author) == export
    assert selectors.export_file(user=author, export_id=export.pk) is not None
    assert selectors.export_file(user=reader, export_id=export.pk) is None


def test_a_file_gone_from_disk_is_not_found(author: User) -> None:
    export, _ = services.create_export(user=author)
    services.build_export(export_id=export.pk)
    export.refresh_from_db()
    (Path(settings.DATA_DIR) / export.file).unlink()
    assert selectors.export_file(user=author, export_id=export.pk) is None
