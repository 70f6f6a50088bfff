"""Writes of the insights app: asking for a work's reading, doing it, and keeping what it found.

A work's reading is a job for a worker (``insights.tasks``), never for the
request that saved the chapter. :func:`mark_requested` notes that a job is
wanted, :func:`analyse_work` is the job's body: it reads the work's chapters,
skips the work if its text is the version already read (so re-running is
free and idempotent), runs the engine, and replaces the stored rows in one
transaction. A failure is recorded on the work's row for its author to see;
the chapters stay as they were, posted and readable.
"""

from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils import timezone

from fanfold.archive.insights.findings import (
    WorkFindings,
    chapter_text,
    digest,
    fingerprint,
    read_work,
)
from fanfold.archive.insights.limits import time_limit
from fanfold.archive.insights.models import AnalysisState, ChapterAnalysis, WorkAnalysis
from fanfold.archive.works import versions
from fanfold.archive.works.models import Chapter, Work


class Outcome(StrEnum):
    ANALYSED = "analysed"
    CURRENT = "current"  # the text read is the text there: nothing to do
    SKIPPED = "skipped"  # the work is gone, or its author turned reading off


@dataclass(frozen=True, slots=True)
class Done:
    outcome: Outcome
    seconds: float = 0.0


def mark_requested(*, work_id: int) -> bool:
    """Note that the work should be read; False when a job is already waiting (or none is wanted).

    A work whose author turned reading off loses what was read instead.
    """
    enabled = Work.objects.filter(pk=work_id).values_list("analysis_enabled", flat=True).first()
    if not enabled:
        forget_analysis(work_id=work_id)
        return False
    with transaction.atomic():
        analysis, created = WorkAnalysis.objects.select_for_update().get_or_create(work_id=work_id)
        if not created and analysis.state == AnalysisState.PENDING and analysis.requested_at:
            return False
        analysis.state = AnalysisState.PENDING
        analysis.requested_at = timezone.now()
        analysis.save(update_fields=["state", "requested_at"])
    return True


def forget_analysis(*, work_id: int) -> None:
    """Delete everything read from the work (its chapters' rows go with it)."""
    WorkAnalysis.objects.filter(work_id=work_id).delete()
    versions.bump([work_id])  # the dialogue colours beside its text go


def current_fingerprint(*, work_id: int) -> str:
    """The version of the work's text as it stands now."""
    bodies = (
        Chapter.objects.filter(work_id=work_id).order_by("position").values_list("body", flat=True)
    )
    return fingerprint([digest(chapter_text(body)) for body in bodies])


def analyse_work(*, work_id: int, force: bool = False, limit: float | None = None) -> Done:
    """Read the work (unless its text is the version already read) and keep what was found.

    The engine's reading runs under ``limit`` seconds (:func:`limits.time_limit`);
    the database work around it never does. Raises whatever the engine raised;
    the caller records it (:func:`record_failure`).
    """
    work = Work.objects.filter(pk=work_id).only("analysis_enabled").first()
    if work is None or not work.analysis_enabled:
        return Done(Outcome.SKIPPED)
    chapters = list(
        Chapter.objects.filter(work_id=work_id).order_by("position").values_list("pk", "body")
    )
    analysis, _ = WorkAnalysis.objects.get_or_create(work_id=work_id)
    version = fingerprint([digest(chapter_text(body)) for _, body in chapters])
    if not force and analysis.state == AnalysisState.DONE and analysis.fingerprint == version:
        return Done(Outcome.CURRENT)
    WorkAnalysis.objects.filter(pk=analysis.pk).update(state=AnalysisState.RUNNING)
    started = time.perf_counter()
    with time_limit(limit) if limit is not None else nullcontext():
        found = read_work(chapters)
    seconds = time.perf_counter() - started
    _keep(work_id, found, seconds)
    return Done(Outcome.ANALYSED, seconds)


def describe_failure(error: BaseException) -> str:
    """What the author is told went wrong, in a line."""
    detail = str(error).strip().splitlines()[0][:200] if str(error).strip() else ""
    name = type(error).__name__
    return f"{name}: {detail}" if detail else name


def record_failure(*, work_id: int, error: BaseException) -> int:
    """Mark the work's reading failed and why; the number of failures in a row."""
    with transaction.atomic():
        analysis, _ = WorkAnalysis.objects.select_for_update().get_or_create(work_id=work_id)
        analysis.state = AnalysisState.FAILED
        analysis.attempts += 1
        analysis.error = describe_failure(error)
        analysis.save(update_fields=["state", "attempts", "error"])
    return analysis.attempts


@transaction.atomic
def _keep(work_id: int, found: WorkFindings, seconds: float) -> None:
    analysis = WorkAnalysis.objects.select_for_update().get(work_id=work_id)
    analysis.state = AnalysisState.DONE
    analysis.fingerprint = found.fingerprint
    analysis.attempts = 0
    analysis.error = ""
    analysis.analysed_at = timezone.now()
    analysis.seconds = seconds
    analysis.cast = found.cast
    analysis.relations = found.relations
    analysis.character_tags = found.character_tags
    analysis.relationship_tags = found.relationship_tags
    analysis.evidence = found.evidence
    analysis.save()
    versions.bump([work_id])  # its pages colour the dialogue read now
    ChapterAnalysis.objects.filter(chapter__work_id=work_id).delete()
    # A chapter deleted while the work was being read has no row to keep.
    still_there = set(Chapter.objects.filter(work_id=work_id).values_list("pk", flat=True))
    ChapterAnalysis.objects.bulk_create(
        ChapterAnalysis(
            analysis=analysis,
            chapter_id=chapter.chapter_id,
            digest=chapter.digest,
            story_words=chapter.story_words,
            presence=chapter.presence,
            speech=chapter.speech,
            talk=chapter.talk,
            quotes=chapter.quotes,
            apart=chapter.apart,
        )
        for chapter in found.chapters
        if chapter.chapter_id in still_there
    )
