"""What the reading engine found in a work, stored with the text it read.

A work is read whole (one cast across its chapters, so "Lex" in chapter 3
is the "Lexie" of chapter 1), and what it found is kept per chapter
(:class:`ChapterAnalysis`), each row with the digest of the chapter text it
read: the chapter version it belongs to. Readers' figures are sums over
posted chapters' rows, so a draft chapter never shows through; the work's
row (:class:`WorkAnalysis`) holds the cast, the relations, the engine's
suggested tags, and the state of the work's analysis job.

Character references in the JSON are indices into ``WorkAnalysis.cast``.
"""

from __future__ import annotations

from django.db import models

from fanfold.archive.works.models import Chapter, Work


class AnalysisState(models.TextChoices):
    PENDING = "pending", "Waiting for a worker"
    RUNNING = "running", "Being read"
    DONE = "done", "Read"
    FAILED = "failed", "Could not be read"


class WorkAnalysis(models.Model):
    """A work's analysis and the state of the job that makes it.

    ``fingerprint`` is the digest of the chapter versions (in order) that the
    stored analysis read; a job whose work still has that fingerprint has
    nothing to do, which makes re-analysis idempotent.
    """

    work = models.OneToOneField(Work, on_delete=models.CASCADE, related_name="analysis")
    state = models.CharField(
        max_length=10, choices=AnalysisState.choices, default=AnalysisState.PENDING
    )
    fingerprint = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Failed tries in a row")
    error = models.TextField(blank=True, help_text="Why the last try failed")
    requested_at = models.DateTimeField(null=True, blank=True)
    analysed_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0, help_text="How long the last reading took")
    # [{"name", "aliases": [...], "gender", "mentions"}]: index = character id
    cast = models.JSONField(default=list)
    # [{"a", "b", "kind", "score", "interactions", "cue"}], strongest first
    relations = models.JSONField(default=list)
    character_tags = models.JSONField(default=list, help_text="Suggested, most mentioned first")
    relationship_tags = models.JSONField(default=list, help_text="Suggested, strongest first")
    # [{"a", "b", "excerpts": [{"chapter": chapter id, "text"}]}]: where the
    # strongest pairs meet, a few short excerpts each (findings.where_they_meet)
    evidence = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name_plural = "work analyses"

    def __str__(self) -> str:
        return f"analysis of work {self.work_id} ({self.state})"


class ChapterAnalysis(models.Model):
    """What one chapter version holds, in terms of its work's cast.

    - ``presence``: {character: mentions in the story}
    - ``speech``: {character: [quotes, words spoken]}
    - ``talk``: [[a, b, exchanges]]: a spoke and b answered (a < b)
    - ``quotes``: [[paragraph, start, end, speaker or -1]], one per part of a
      quote (its words without the marks): offsets within the paragraph of the
      chapter's plain text (paragraphs split at blank lines)
    - ``apart``: [[kind, start, end, cue]]: what is not story (notes,
      disclaimers, headers), offsets into the plain text
    """

    analysis = models.ForeignKey(WorkAnalysis, on_delete=models.CASCADE, related_name="chapters")
    chapter = models.OneToOneField(Chapter, on_delete=models.CASCADE, related_name="analysis")
    digest = models.CharField(max_length=64, help_text="The chapter text read (its version)")
    story_words = models.PositiveIntegerField(default=0)
    presence = models.JSONField(default=dict)
    speech = models.JSONField(default=dict)
    talk = models.JSONField(default=list)
    quotes = models.JSONField(default=list)
    apart = models.JSONField(default=list)

    class Meta:
        verbose_name_plural = "chapter analyses"

    def __str__(self) -> str:
        return f"analysis of chapter {self.chapter_id}"
