from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django_tasks_db.models import DBTaskResult

from fanfold.archive.insights.models import AnalysisState, WorkAnalysis
from fanfold.archive.people.models import User
from fanfold.archive.works import services as works_services
from tests.archive.factories import make_work
from tests.archive.insights.conftest import MORE_TALK, TALK

pytestmark = pytest.mark.django_db


def _jobs() -> int:
    return DBTaskResult.objects.filter(queue_name="analysis").count()


def test_saving_a_work_queues_its_reading_once_the_save_commits(
    author: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        work = make_work(owner=author, body=TALK)
    assert _jobs() == 0  # nothing is queued for a save that might still roll back
    for callback in callbacks:
        callback()
    assert _jobs() == 1
    assert WorkAnalysis.objects.get(work=work).state == AnalysisState.PENDING


def test_every_change_to_the_text_asks_for_a_new_reading(
    author: User, django_capture_on_commit_callbacks: Any, run_worker: Callable[[], None]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        work = make_work(owner=author, body=TALK)
    run_worker()
    fields = works_services.ChapterFields(body=MORE_TALK)
    with django_capture_on_commit_callbacks(execute=True):
        chapter = works_services.add_chapter(work=work, by=author, fields=fields, post=False)
    assert _jobs() == 2
    run_worker()
    with django_capture_on_commit_callbacks(execute=True):
        works_services.reorder_chapters(
            work=work, by=author, chapter_ids=[chapter.pk, work.chapters.first().pk]
        )
    with django_capture_on_commit_callbacks(execute=True):
        works_services.delete_chapter(chapter=chapter, by=author)
    assert _jobs() == 3  # the reorder's job was still waiting when the delete asked


def test_a_change_that_leaves_the_text_alone_queues_nothing(
    author: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        work = make_work(owner=author, body=TALK)
    before = _jobs()
    with django_capture_on_commit_callbacks(execute=True):
        works_services.post_work(work=work, by=author)
        works_services.set_work_hidden(
            work=work, by=User.objects.create(username="mod", is_staff=True), hidden=True
        )
    assert _jobs() == before
