from __future__ import annotations

import pytest

from fanfold.archive.insights import services
from fanfold.archive.insights.models import ChapterAnalysis, WorkAnalysis
from fanfold.archive.people.models import User
from fanfold.archive.works import services as works_services
from tests.archive.factories import make_work
from tests.archive.insights.conftest import MORE_TALK, TALK

pytestmark = pytest.mark.django_db


def test_what_was_read_goes_with_the_chapter_and_the_work_it_was_read_from(author: User) -> None:
    work = make_work(owner=author, body=TALK)
    extra = works_services.add_chapter(
        work=work, by=author, fields=works_services.ChapterFields(body=MORE_TALK), post=True
    )
    services.analyse_work(work_id=work.pk)
    analysis = WorkAnalysis.objects.get(work=work)
    assert str(analysis) == f"analysis of work {work.pk} (done)"
    assert str(ChapterAnalysis.objects.get(chapter=extra)) == f"analysis of chapter {extra.pk}"
    works_services.delete_chapter(chapter=extra, by=author)
    assert not ChapterAnalysis.objects.filter(chapter_id=extra.pk).exists()
    works_services.delete_work(work=work, by=author)
    assert not WorkAnalysis.objects.exists()
    assert not ChapterAnalysis.objects.exists()
