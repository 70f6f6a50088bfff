"""The insights app's background jobs, run by ``fanfold worker`` (django-tasks, database queue).

A work's reading runs under a time limit (``FANFOLD_ANALYSIS_TIME_LIMIT``
seconds); a reading that fails or runs out of time is recorded for the
author (``services.record_failure``) and tried once more.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django_tasks import task

from fanfold.archive.insights import services

MAX_ATTEMPTS = 2  # the first try and one retry


@task(queue_name=settings.ANALYSIS_QUEUE)
def analyse_work_task(work_id: int, attempt: int = 1) -> str:
    """Read one work; on failure, record it and queue one more try."""
    try:
        done = services.analyse_work(work_id=work_id, limit=settings.ANALYSIS_TIME_LIMIT)
    except Exception as error:
        services.record_failure(work_id=work_id, error=error)
        if attempt < MAX_ATTEMPTS:
            analyse_work_task.enqueue(work_id, attempt + 1)
        raise
    return done.outcome.value


def queue_analysis(*, work_id: int) -> bool:
    """Ask a worker to read the work; False when a job for it is already waiting."""
    with transaction.atomic():
        if not services.mark_requested(work_id=work_id):
            return False
        analyse_work_task.enqueue(work_id)
    return True
