"""Writes to works, chapters and series.

Plain typed functions, keyword-only, verb first. Each checks that ``by`` may
make the change (views check first; this is the second lock) and runs in one
transaction, so a failure leaves nothing half-saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import Length
from django.utils import timezone

from fanfold.archive.people.models import User
from fanfold.archive.search.indexing import INDEXED_FIELDS, index_works, unindex_works
from fanfold.archive.tags.models import TagType
from fanfold.archive.tags.services import find_or_create_tags
from fanfold.archive.works import languages, versions
from fanfold.archive.works.models import (
    CHAPTER_BODY_MAX,
    CHAPTERS_MAX,
    NOTES_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    WORK_TEXT_MAX,
    Chapter,
    CommentPermission,
    Series,
    SeriesPart,
    Work,
)
from fanfold.archive.works.signals import (
    announce_after_commit,
    chapter_posted,
    work_posted,
    work_text_changed,
)
from fanfold.formats.clean import multiline, single_line
from fanfold.formats.userhtml import to_plain_text, to_safe_html
from fanfold.text.words import count_words


@dataclass(frozen=True)
class WorkFields:
    """What an author fills in for a work (text fields as typed: HTML or plain)."""

    title: str
    rating: str
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    language: str = "en"
    expected_chapters: int | None = None
    is_complete: bool = False
    is_restricted: bool = False
    comment_permission: str = CommentPermission.ACCOUNTS
    comments_moderated: bool = False
    analysis_enabled: bool = True
    tags: Mapping[TagType, Sequence[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class ChapterFields:
    body: str
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""


def too_long(what: str, length: int, limit: int) -> str:
    """The one wording of every length limit, for forms, imports and the command line.

    >>> too_long("The summary", 1300, 1250)
    'The summary has 1,300 characters; at most 1,250 are allowed.'
    """
    return f"{what} has {length:,} characters; at most {limit:,} are allowed."


def _require_owner(owner_id: int, by: User) -> None:
    if owner_id != by.pk:
        raise PermissionDenied("Only the work's author can change it.")


_LABELS = {
    "title": "The title",
    "summary": "The summary",
    "notes": "The notes",
    "end_notes": "The end notes",
    "body": "The chapter text",
}


def _line(value: str, *, field: str, limit: int = TITLE_MAX, required: bool = False) -> str:
    """A title as stored: one clean line within the limit (``field`` names it in errors)."""
    text = single_line(value)
    if required and not text:
        raise ValidationError({field: f"{_LABELS[field]} is required."})
    if len(text) > limit:
        raise ValidationError({field: too_long(_LABELS[field], len(text), limit)})
    return text


def _html(value: str, *, field: str, limit: int) -> str:
    """Author HTML or plain text as stored: clean, sanitised, typed within the limit."""
    if len(value) > limit:
        raise ValidationError({field: too_long(_LABELS[field], len(value), limit)})
    return to_safe_html(multiline(value))


def _apply_work_fields(work: Work, fields: WorkFields) -> None:
    language = languages.language_code(fields.language)
    if language is None:
        raise ValidationError({"language": f"“{fields.language[:40]}” is not a language we know."})
    work.title = _line(fields.title, field="title", required=True)
    work.rating = fields.rating
    work.summary = _html(fields.summary, field="summary", limit=SUMMARY_MAX)
    work.notes = _html(fields.notes, field="notes", limit=NOTES_MAX)
    work.end_notes = _html(fields.end_notes, field="end_notes", limit=NOTES_MAX)
    work.language = language
    work.expected_chapters = fields.expected_chapters
    work.is_complete = fields.is_complete
    work.is_restricted = fields.is_restricted
    if fields.comment_permission not in CommentPermission.values:
        raise ValidationError({"comment_permission": "Choose who may comment."})
    work.comment_permission = fields.comment_permission
    work.comments_moderated = fields.comments_moderated
    work.analysis_enabled = fields.analysis_enabled


def _apply_chapter_fields(chapter: Chapter, fields: ChapterFields) -> None:
    chapter.title = _line(fields.title, field="title")
    chapter.summary = _html(fields.summary, field="summary", limit=SUMMARY_MAX)
    chapter.notes = _html(fields.notes, field="notes", limit=NOTES_MAX)
    chapter.end_notes = _html(fields.end_notes, field="end_notes", limit=NOTES_MAX)
    chapter.body = _html(fields.body, field="body", limit=CHAPTER_BODY_MAX)
    text = to_plain_text(chapter.body)
    if not text.strip():
        raise ValidationError({"body": "The chapter has no text once its HTML is cleaned."})
    chapter.word_count = count_words(text)


def _check_work_size(work: Work, chapter: Chapter, *, adding: bool) -> None:
    """Refuse a new or changed chapter that would take the work past its limits."""
    others = work.chapters.all() if adding else work.chapters.exclude(pk=chapter.pk)
    counted = others.aggregate(chapters=Count("pk"), text=Sum(Length("body")))
    if adding and counted["chapters"] >= CHAPTERS_MAX:
        raise ValidationError(f"A work can have at most {CHAPTERS_MAX:,} chapters.")
    total = (counted["text"] or 0) + len(chapter.body)
    if total > WORK_TEXT_MAX:
        raise ValidationError({"body": too_long("The whole work", total, WORK_TEXT_MAX)})


def _refresh_counts(work: Work) -> None:
    """Words and chapters readers see; a draft work, which only its author sees, counts all.

    Posting a draft work posts all its chapters, so its counts stay the same.
    """
    counted = work.chapters.all() if work.is_draft else work.chapters.filter(is_draft=False)
    totals = counted.aggregate(chapters=Count("pk"), words=Sum("word_count"))
    work.chapter_count = totals["chapters"]
    work.word_count = totals["words"] or 0
    # "3/2" would be nonsense, and a complete work has all its chapters posted.
    if work.is_complete:
        work.expected_chapters = max(work.chapter_count, 1)
    elif work.expected_chapters is not None:
        work.expected_chapters = max(work.expected_chapters, work.chapter_count)


# Kept by the readers' apps with F() updates in their own transactions: saving a
# work the author changed must not write back the copy it read a moment ago.
READER_COUNTERS = frozenset({"kudos_count", "comment_count", "bookmark_count", "hit_count"})


def _save_and_index(work: Work) -> None:
    """The last step of every change a listing or a search would show."""
    if work._state.adding:
        work.save()
    else:
        work.save(update_fields=[f.name for f in _AUTHOR_FIELDS])
    index_works([work.pk])
    work.refresh_from_db(fields=[*INDEXED_FIELDS, *READER_COUNTERS, "version"])


_AUTHOR_FIELDS = [
    f
    for f in Work._meta.concrete_fields
    if not f.primary_key and f.name not in READER_COUNTERS and f.name != "version"
]


def _bump_series_of(*work_ids: int) -> None:
    versions.bump_with_series(work_ids)


def _text_changed(work: Work) -> None:
    """Tell the apps above that the work's text may read differently (once per service call)."""
    announce_after_commit(work_text_changed, work_id=work.pk)


def _mark_updated(work: Work) -> None:
    now = timezone.now()
    if not work.is_draft:
        work.updated_at = now
        work.published_at = work.published_at or now


@transaction.atomic
def create_work(
    *,
    owner: User,
    fields: WorkFields,
    first_chapter: ChapterFields,
    post: bool,
    series: Series | None = None,
    new_series_title: str = "",
) -> Work:
    """Create a work with its first chapter, posted or as a draft."""
    work = create_work_with_chapters(
        owner=owner, fields=fields, chapters=[first_chapter], post=post
    )
    _join_series(work=work, owner=owner, series=series, new_series_title=new_series_title)
    return work


@transaction.atomic
def create_work_with_chapters(
    *, owner: User, fields: WorkFields, chapters: Sequence[ChapterFields], post: bool
) -> Work:
    """Create a work with all its chapters at once, indexed once (an import's way in).

    Each chapter is checked against the limits as it would be when added
    one by one, and the work's size as a whole: linear in the work's size,
    where adding chapter after chapter re-indexes the whole work each time.
    """
    if not chapters:
        raise ValidationError("A work needs at least one chapter.")
    if len(chapters) > CHAPTERS_MAX:
        raise ValidationError(f"A work can have at most {CHAPTERS_MAX:,} chapters.")
    work = Work(owner=owner, is_draft=not post)
    _apply_work_fields(work, fields)
    rows = [
        Chapter(work=work, position=n, number=n, is_draft=not post)
        for n in range(1, len(chapters) + 1)
    ]
    for row, chapter_fields in zip(rows, chapters, strict=True):
        try:
            _apply_chapter_fields(row, chapter_fields)
        except ValidationError as error:
            if len(chapters) == 1:
                raise  # the form shows it next to its field
            raise ValidationError(
                [f"Chapter {row.position}: {m}" for m in error.messages]
            ) from error
        row.published_at = timezone.now() if post else None
    total = sum(len(row.body) for row in rows)
    if total > WORK_TEXT_MAX:
        raise ValidationError({"body": too_long("The whole work", total, WORK_TEXT_MAX)})
    work.save()
    work.tags.set(find_or_create_tags(names_by_type=fields.tags))
    Chapter.objects.bulk_create(rows)
    _refresh_counts(work)
    _mark_updated(work)
    _save_and_index(work)
    _text_changed(work)
    if post:
        announce_after_commit(work_posted, work=work)
    return work


@transaction.atomic
def update_work(
    *,
    work: Work,
    by: User,
    fields: WorkFields,
    series: Series | None = None,
    new_series_title: str = "",
) -> Work:
    _require_owner(work.owner_id, by)
    reading_was = work.analysis_enabled
    _apply_work_fields(work, fields)
    work.tags.set(find_or_create_tags(names_by_type=fields.tags))
    _refresh_counts(work)
    _mark_updated(work)
    _save_and_index(work)
    if work.analysis_enabled != reading_was:
        _text_changed(work)
    _join_series(work=work, owner=by, series=series, new_series_title=new_series_title)
    return work


@transaction.atomic
def add_tag(*, work: Work, by: User, tag_type: TagType, name: str) -> bool:
    """Give the work one more tag (a suggestion the author accepted); False if it had it.

    Idempotent: a double click or a replay adds the tag once (the link table's
    unique pair, with conflicts ignored). The work is re-indexed, not bumped:
    a new tag is not a new chapter.
    """
    _require_owner(work.owner_id, by)
    tags = find_or_create_tags(names_by_type={tag_type: [name]})
    if not tags:
        raise ValidationError("A tag needs a name.")
    tag = tags[0]
    through = Work.tags.through
    if through.objects.filter(work_id=work.pk, tag_id=tag.pk).exists():
        return False
    through.objects.bulk_create([through(work_id=work.pk, tag_id=tag.pk)], ignore_conflicts=True)
    index_works([work.pk])
    return True


@transaction.atomic
def post_work(*, work: Work, by: User) -> Work:
    """Post a draft work, and with it every chapter still in draft."""
    _require_owner(work.owner_id, by)
    was_draft = work.is_draft
    now = timezone.now()
    work.chapters.filter(is_draft=True).update(is_draft=False, published_at=now)
    _renumber_chapters(work)
    work.is_draft = False
    _refresh_counts(work)
    _mark_updated(work)
    _save_and_index(work)
    if was_draft:
        announce_after_commit(work_posted, work=work)
    return work


@transaction.atomic
def delete_work(*, work: Work, by: User) -> None:
    _require_owner(work.owner_id, by)
    series_ids = list(work.series_parts.values_list("series_id", flat=True))
    _bump_series_of(work.pk)
    unindex_works([work.pk])
    work.delete()
    for series in Series.objects.filter(pk__in=series_ids):
        _renumber_series(series)


@transaction.atomic
def set_work_hidden(*, work: Work, by: User, hidden: bool) -> Work:
    """An admin hides a work from everyone but its author (or shows it again)."""
    if not by.is_staff:
        raise PermissionDenied("Only admins can hide works.")
    work.is_hidden = hidden
    _save_and_index(work)
    return work


@transaction.atomic
def add_chapter(*, work: Work, by: User, fields: ChapterFields, post: bool) -> Chapter:
    _require_owner(work.owner_id, by)
    last = work.chapters.aggregate(last=Max("position"))["last"] or 0
    posted = work.chapters.filter(is_draft=False).count()
    chapter = Chapter(work=work, position=last + 1, number=posted + 1, is_draft=not post)
    _apply_chapter_fields(chapter, fields)
    _check_work_size(work, chapter, adding=True)
    if post:
        chapter.published_at = timezone.now()
    chapter.save()
    _refresh_counts(work)
    if post:
        _mark_updated(work)
    _save_and_index(work)
    _text_changed(work)
    if post and not work.is_draft:  # a draft work's subscribers hear of it when it is posted
        announce_after_commit(chapter_posted, chapter=chapter)
    return chapter


@transaction.atomic
def update_chapter(*, chapter: Chapter, by: User, fields: ChapterFields) -> Chapter:
    work = chapter.work
    _require_owner(work.owner_id, by)
    _apply_chapter_fields(chapter, fields)
    _check_work_size(work, chapter, adding=False)
    chapter.save()
    _refresh_counts(work)
    if not chapter.is_draft:
        _mark_updated(work)
    _save_and_index(work)
    _text_changed(work)
    return chapter


@transaction.atomic
def post_chapter(*, chapter: Chapter, by: User) -> Chapter:
    work = chapter.work
    _require_owner(work.owner_id, by)
    was_draft = chapter.is_draft
    chapter.is_draft = False
    chapter.published_at = chapter.published_at or timezone.now()
    chapter.save()
    _renumber_chapters(work)
    _refresh_counts(work)
    _mark_updated(work)
    _save_and_index(work)
    if was_draft and not work.is_draft:
        announce_after_commit(chapter_posted, chapter=chapter)
    return chapter


@transaction.atomic
def delete_chapter(*, chapter: Chapter, by: User) -> None:
    work = chapter.work
    _require_owner(work.owner_id, by)
    if work.chapters.count() == 1:
        raise ValidationError("A work needs at least one chapter; delete the work instead.")
    chapter.delete()
    _renumber_chapters(work)
    _refresh_counts(work)
    _save_and_index(work)
    _text_changed(work)


@transaction.atomic
def reorder_chapters(*, work: Work, by: User, chapter_ids: Sequence[int]) -> None:
    """Put the work's chapters in the given order (every chapter, once each)."""
    _require_owner(work.owner_id, by)
    current = set(work.chapters.values_list("pk", flat=True))
    if len(chapter_ids) != len(current) or set(chapter_ids) != current:
        raise ValidationError("Give every chapter of the work exactly one position.")
    _renumber_chapters(work, chapter_ids)
    versions.bump([work.pk])
    _text_changed(work)


def _renumber_chapters(work: Work, chapter_ids: Sequence[int] | None = None) -> None:
    """Give the chapters positions 1..n in the order ``chapter_ids`` (by default
    the current order), and each the number readers see (``Chapter.number``)."""
    chapters = {c.pk: c for c in work.chapters.order_by("position")}
    ordered = [chapters[pk] for pk in chapter_ids] if chapter_ids else list(chapters.values())
    posted = 0
    for position, chapter in enumerate(ordered, start=1):
        chapter.position = position
        chapter.number = posted + 1
        posted += not chapter.is_draft
    Chapter.objects.bulk_update(ordered, ["position", "number"])


# Series ---------------------------------------------------------------------


@transaction.atomic
def create_series(*, owner: User, title: str, summary: str = "", notes: str = "") -> Series:
    return Series.objects.create(
        owner=owner,
        title=_line(title, field="title", required=True),
        summary=_html(summary, field="summary", limit=SUMMARY_MAX),
        notes=_html(notes, field="notes", limit=NOTES_MAX),
    )


@transaction.atomic
def update_series(
    *,
    series: Series,
    by: User,
    title: str,
    summary: str = "",
    notes: str = "",
    is_complete: bool = False,
    work_ids: Sequence[int] | None = None,
) -> Series:
    """Change a series' details and, given ``work_ids``, the order of its parts."""
    _require_owner(series.owner_id, by)
    series.title = _line(title, field="title", required=True)
    series.summary = _html(summary, field="summary", limit=SUMMARY_MAX)
    series.notes = _html(notes, field="notes", limit=NOTES_MAX)
    series.is_complete = is_complete
    series.save()
    if work_ids is not None:
        parts = {p.work_id: p for p in series.parts.all()}
        if set(work_ids) != set(parts) or len(work_ids) != len(parts):
            raise ValidationError("Give every work of the series exactly one position.")
        ordered = [parts[work_id] for work_id in work_ids]
        for position, part in enumerate(ordered, start=1):
            part.position = position
        SeriesPart.objects.bulk_update(ordered, ["position"])
    versions.bump(series.parts.values_list("work_id", flat=True))
    return series


@transaction.atomic
def delete_series(*, series: Series, by: User) -> None:
    """Delete a series; its works stay."""
    _require_owner(series.owner_id, by)
    versions.bump(series.parts.values_list("work_id", flat=True))
    series.delete()


def _join_series(*, work: Work, owner: User, series: Series | None, new_series_title: str) -> None:
    if new_series_title.strip():
        series = create_series(owner=owner, title=new_series_title)
    if series is not None:
        join_series(work=work, by=owner, series=series)


@transaction.atomic
def join_series(*, work: Work, by: User, series: Series, position: int | None = None) -> None:
    """Add a work to a series: at the end, or at ``position`` (later parts move down).

    A work already in the series stays where it is.
    """
    _require_owner(series.owner_id, by)
    _require_owner(work.owner_id, by)
    if series.parts.filter(work=work).exists():
        return
    parts = list(series.parts.order_by("position"))
    index = len(parts) if position is None else max(0, min(position - 1, len(parts)))
    parts.insert(index, SeriesPart(series=series, work=work, position=0))
    for number, part in enumerate(parts, start=1):
        part.position = number
    SeriesPart.objects.bulk_update([p for p in parts if p.pk], ["position"])
    SeriesPart.objects.create(series=series, work=work, position=index + 1)
    _bump_series_of(work.pk)


def _renumber_series(series: Series) -> None:
    parts = list(series.parts.order_by("position"))
    for position, part in enumerate(parts, start=1):
        part.position = position
    SeriesPart.objects.bulk_update(parts, ["position"])
