"""The personal_data app's background job: building a person's data download (django-tasks).

A download is built by ``fanfold worker``, never inside a request: an account
with hundreds of works makes a zip of hundreds of EPUBs (decision 0012).
"""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from fanfold.archive.people.models import User
from fanfold.archive.personal_data import services
from fanfold.archive.personal_data.models import DataExport


@task()
def build_export_task(export_id: int) -> str:
    """Build one export; a failure is recorded on it (the page offers to ask again)."""
    export = services.build_export(export_id=export_id)
    return "built" if export is not None else "nothing to build"


def queue_export(*, user: User) -> tuple[DataExport, bool]:
    """Ask a worker to build ``user``'s download; (the export, whether it was newly queued)."""
    with transaction.atomic():
        export, created = services.create_export(user=user)
        if created:
            build_export_task.enqueue(export.pk)
    return export, created
