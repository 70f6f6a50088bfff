"""A data download is built by the worker, never in the request that asks for it."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django_tasks_db.models import DBTaskResult

from fanfold.archive.people.models import User
from fanfold.archive.personal_data import tasks
from fanfold.archive.personal_data.models import DataExport, ExportState
from tests.archive.factories import make_work

pytestmark = pytest.mark.django_db


def test_asking_twice_queues_one_job(author: User) -> None:
    DBTaskResult.objects.all().delete()
    first, created = tasks.queue_export(user=author)
    again, created_again = tasks.queue_export(user=author)
    assert (created, created_again, first.pk) == (True, False, again.pk)
    job = DBTaskResult.objects.get()
    assert job.args_kwargs["args"] == [first.pk]
    assert first.state == ExportState.QUEUED


def test_the_worker_builds_the_zip_into_the_data_folder(
    author: User, run_worker: Callable[[], None]
) -> None:
    make_work(owner=author, title="Salt Roads")
    export, _ = tasks.queue_export(user=author)
    run_worker()
    export.refresh_from_db()
    assert export.state == ExportState.READY
    path = Path(settings.DATA_DIR) / export.file
    assert path.parent == Path(settings.DATA_DIR) / "exports" / str(author.pk)
    assert export.size == path.stat().st_size
    assert any(name.endswith("Salt_Roads.epub") for name in zipfile.ZipFile(path).namelist())
    assert list(path.parent.glob("*.part")) == []


def test_a_job_for_a_deleted_account_does_nothing(author: User) -> None:
    export, _ = tasks.queue_export(user=author)
    DataExport.objects.filter(pk=export.pk).delete()
    assert tasks.build_export_task.call(export.pk) == "nothing to build"
