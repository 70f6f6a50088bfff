from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from fanfold.archive.insights.models import AnalysisState, WorkAnalysis
from fanfold.archive.people.models import User
from tests.archive.factories import make_work
from tests.archive.insights.conftest import TALK

pytestmark = pytest.mark.django_db


def _reanalyse(*args: str) -> str:
    out = StringIO()
    call_command("reanalyse", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_reanalyse_reads_every_work_once_and_a_second_run_does_nothing(author: User) -> None:
    works = [make_work(owner=author, body=TALK) for _ in range(3)]
    make_work(owner=author, body=TALK, analysis_enabled=False)
    assert "3 work(s): 3 read, 0 already current, 0 failed" in _reanalyse()
    assert "3 work(s): 0 read, 3 already current, 0 failed" in _reanalyse()
    assert "1 work(s): 1 read" in _reanalyse("--work", str(works[0].pk), "--force")
    assert set(WorkAnalysis.objects.values_list("state", flat=True)) == {AnalysisState.DONE}


def test_reanalyse_names_a_work_it_cannot_read(author: User) -> None:
    off = make_work(owner=author, body=TALK, analysis_enabled=False)
    with pytest.raises(CommandError, match=f"no work to read with id {off.pk}, 9999"):
        _reanalyse("--work", str(off.pk), "--work", "9999")


def test_reanalyse_reports_a_failure_records_it_and_goes_on(author: User) -> None:
    slow = make_work(owner=author, body=TALK * 2000)
    quick = make_work(owner=author, body=TALK)
    with override_settings(ANALYSIS_TIME_LIMIT=0.001), pytest.raises(CommandError, match="1 work"):
        _reanalyse("--work", str(slow.pk))
    assert WorkAnalysis.objects.get(work=slow).state == AnalysisState.FAILED
    assert "1 read" in _reanalyse("--work", str(quick.pk))
