from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult

from fanfold.archive.insights import tasks
from fanfold.archive.insights.models import AnalysisState, WorkAnalysis
from fanfold.archive.people.models import User
from fanfold.archive.works.models import CHAPTER_BODY_MAX
from tests.archive.factories import make_work
from tests.archive.insights.conftest import TALK

pytestmark = pytest.mark.django_db


def test_queue_analysis_queues_one_job_however_often_it_is_asked(author: User) -> None:
    work = make_work(owner=author, body=TALK)
    WorkAnalysis.objects.all().delete()
    DBTaskResult.objects.all().delete()
    assert tasks.queue_analysis(work_id=work.pk) is True
    assert tasks.queue_analysis(work_id=work.pk) is False
    job = DBTaskResult.objects.get()
    assert (job.queue_name, job.args_kwargs["args"]) == ("analysis", [work.pk])


def test_the_worker_reads_a_queued_work(author: User, run_worker: Callable[[], None]) -> None:
    work = make_work(owner=author, body=TALK)
    tasks.queue_analysis(work_id=work.pk)
    run_worker()
    analysis = WorkAnalysis.objects.get(work=work)
    assert analysis.state == AnalysisState.DONE
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() >= 1


def test_a_reading_out_of_time_is_recorded_and_tried_once_more(
    author: User, run_worker: Callable[[], None]
) -> None:
    work = make_work(owner=author, body=TALK * 2000)
    WorkAnalysis.objects.all().delete()  # forget the job posting queued: this test queues its own
    DBTaskResult.objects.all().delete()
    with override_settings(ANALYSIS_TIME_LIMIT=0.001):
        tasks.queue_analysis(work_id=work.pk)
        run_worker()
    analysis = WorkAnalysis.objects.get(work=work)
    assert analysis.state == AnalysisState.FAILED
    assert analysis.attempts == tasks.MAX_ATTEMPTS
    assert "longer than" in analysis.error
    assert DBTaskResult.objects.filter(status="FAILED").count() == tasks.MAX_ATTEMPTS
    assert work.chapters.get().body  # the chapter itself is untouched


@pytest.mark.slow
def test_junk_and_enormous_chapters_are_read_or_fail_cleanly_and_stay_readable(
    author: User, run_worker: Callable[[], None], client: Client
) -> None:
    rng = random.Random(7)
    junk = rng.randbytes(200_000).decode("latin-1")
    enormous = ("Wordy " * 85_000)[: CHAPTER_BODY_MAX - 10]
    unbroken = "x" * (CHAPTER_BODY_MAX - 10)  # one "word" half a megabyte long
    works = [make_work(owner=author, body=body) for body in (junk, enormous, unbroken)]
    for work in works:
        tasks.queue_analysis(work_id=work.pk)
    run_worker()
    for work in works:
        analysis = WorkAnalysis.objects.get(work=work)
        assert analysis.state in {AnalysisState.DONE, AnalysisState.FAILED}
        chapter = work.chapters.get()
        assert client.get(chapter.get_absolute_url()).status_code == 200
