from __future__ import annotations

import pytest

from fanfold.archive.insights import findings, services
from fanfold.archive.insights.models import AnalysisState, ChapterAnalysis, WorkAnalysis
from fanfold.archive.insights.services import Outcome
from fanfold.archive.people.models import User
from fanfold.archive.works import services as works_services
from fanfold.archive.works.models import Work
from tests.archive.factories import make_work
from tests.archive.insights.conftest import MORE_TALK, TALK

pytestmark = pytest.mark.django_db


def _work(author: User, *bodies: str) -> Work:
    work = make_work(owner=author, body=bodies[0])
    for body in bodies[1:]:
        works_services.add_chapter(
            work=work, by=author, fields=works_services.ChapterFields(body=body), post=True
        )
    return work


def test_analyse_work_keeps_the_cast_and_a_row_per_chapter_version(author: User) -> None:
    work = _work(author, TALK, MORE_TALK)
    done = services.analyse_work(work_id=work.pk)
    assert done.outcome == Outcome.ANALYSED
    analysis = WorkAnalysis.objects.get(work=work)
    assert analysis.state == AnalysisState.DONE
    assert analysis.analysed_at is not None
    assert {"Maren Holt", "Tobias"} <= {person["name"] for person in analysis.cast}
    rows = ChapterAnalysis.objects.filter(analysis=analysis).order_by("chapter__position")
    assert [row.chapter_id for row in rows] == list(work.chapters.values_list("pk", flat=True))
    assert analysis.fingerprint == services.current_fingerprint(work_id=work.pk)


def test_reading_a_work_again_does_nothing_until_its_text_changes(author: User) -> None:
    work = _work(author, TALK)
    services.analyse_work(work_id=work.pk)
    assert services.analyse_work(work_id=work.pk).outcome == Outcome.CURRENT
    chapter = work.chapters.get()
    works_services.update_chapter(
        chapter=chapter, by=author, fields=works_services.ChapterFields(body=TALK + MORE_TALK)
    )
    assert services.analyse_work(work_id=work.pk).outcome == Outcome.ANALYSED
    chapter.refresh_from_db()
    row = ChapterAnalysis.objects.get(chapter=chapter)
    assert row.digest == findings.digest(findings.chapter_text(chapter.body))
    assert row.speech
    assert len(row.quotes) > 4
    assert services.analyse_work(work_id=work.pk, force=True).outcome == Outcome.ANALYSED


def test_a_work_whose_author_turned_reading_off_is_never_read(author: User) -> None:
    work = make_work(owner=author, body=TALK, analysis_enabled=False)
    assert services.analyse_work(work_id=work.pk).outcome == Outcome.SKIPPED
    assert not WorkAnalysis.objects.filter(work=work).exists()
    assert services.mark_requested(work_id=work.pk) is False


def test_turning_reading_off_forgets_what_was_read(author: User) -> None:
    work = _work(author, TALK)
    services.analyse_work(work_id=work.pk)
    work.analysis_enabled = False
    work.save(update_fields=["analysis_enabled"])
    assert services.mark_requested(work_id=work.pk) is False
    assert not WorkAnalysis.objects.filter(work=work).exists()
    assert not ChapterAnalysis.objects.filter(chapter__work=work).exists()


def test_a_request_while_one_is_waiting_queues_nothing_more(author: User) -> None:
    work = _work(author, TALK)
    WorkAnalysis.objects.filter(work=work).delete()
    assert services.mark_requested(work_id=work.pk) is True
    assert services.mark_requested(work_id=work.pk) is False
    WorkAnalysis.objects.filter(work=work).update(state=AnalysisState.RUNNING)
    assert services.mark_requested(work_id=work.pk) is True  # the text may have changed meanwhile


def test_a_failure_is_recorded_with_its_reason_and_counted(author: User) -> None:
    work = _work(author, TALK)
    assert services.record_failure(work_id=work.pk, error=ValueError("bad input\nmore")) == 1
    assert services.record_failure(work_id=work.pk, error=TimeoutError()) == 2
    analysis = WorkAnalysis.objects.get(work=work)
    assert (analysis.state, analysis.error) == (AnalysisState.FAILED, "TimeoutError")
    services.analyse_work(work_id=work.pk)
    analysis.refresh_from_db()
    assert (analysis.state, analysis.attempts, analysis.error) == (AnalysisState.DONE, 0, "")


def test_describe_failure_is_one_short_line() -> None:
    assert (
        services.describe_failure(ValueError("x" * 500 + "\nsecond")) == "ValueError: " + "x" * 200
    )
    assert services.describe_failure(KeyError()) == "KeyError"


def test_analysis_of_a_missing_work_is_skipped() -> None:
    assert services.analyse_work(work_id=987654).outcome == Outcome.SKIPPED
