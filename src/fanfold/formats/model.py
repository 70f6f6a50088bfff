"""The neutral shape every reader returns and every writer takes.

A ``ParsedWork`` is what a file says about a work, in the archive's terms
but without the archive: plain strings and tuples, no Django. Text fields
(summary, notes, chapter bodies) hold *safe HTML*: every reader passes what
it found through ``fanfold.formats.userhtml.to_safe_html`` before building
one, so writers and the archive can trust it.

Tags keep the names the file used; the archive maps them onto its own tag
types (an unknown archive warning becomes a freeform tag, for example).

>>> work = ParsedWork(title="Taking Chances", chapters=(ParsedChapter(body="<p>Hi.</p>"),))
>>> work.word_count
1
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Any

from fanfold.formats.userhtml import to_plain_text
from fanfold.text import SegmentedWork
from fanfold.text.words import count_words


@dataclass(frozen=True, slots=True)
class ParsedChapter:
    """One chapter: its story body and the paratext around it (safe HTML).

    ``source`` names the file the chapter came from when a work was read
    from several, so a message about the chapter can name its file.
    """

    body: str
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    source: str = ""

    @property
    def word_count(self) -> int:
        return count_words(to_plain_text(self.body))


@dataclass(frozen=True, slots=True)
class SeriesRef:
    """A series the work belongs to, and its place there (1-based, 0 if unknown)."""

    title: str
    position: int = 0


@dataclass(frozen=True, slots=True)
class ParsedWork:
    """A whole work as read from one or more files.

    ``rating`` is an AO3 rating label ("General Audiences", "Teen And Up
    Audiences", "Mature", "Explicit", "Not Rated") or "" when the file has
    none. ``expected_chapters`` is ``None`` when unknown ("2/?").
    ``messages`` are notes for the person importing ("chapter order was
    inferred from content, confidence 0.8"), shown in previews and the CLI.
    """

    title: str
    chapters: tuple[ParsedChapter, ...]
    creators: tuple[str, ...] = ()
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    rating: str = ""
    warnings: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    fandoms: tuple[str, ...] = ()
    relationships: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    freeforms: tuple[str, ...] = ()
    language: str = ""
    series: tuple[SeriesRef, ...] = ()
    expected_chapters: int | None = None
    complete: bool = False
    published: date | None = None
    updated: date | None = None
    source: str = ""
    source_format: str = ""
    messages: tuple[str, ...] = field(default=())
    # The reading engine's segmentation of the chapter files the chapters were
    # cut from, in their order (None where a format keeps notes apart itself),
    # so the archive analyses the work without segmenting it again.
    segmented: SegmentedWork | None = field(default=None, compare=False, repr=False)

    @property
    def word_count(self) -> int:
        return sum(chapter.word_count for chapter in self.chapters)

    def with_message(self, message: str) -> ParsedWork:
        return replace(self, messages=(*self.messages, message))


def work_to_json(work: ParsedWork) -> str:
    """The work as JSON, to keep between an upload and its confirmation.

    >>> work = ParsedWork(title="Rain", chapters=(ParsedChapter(body="<p>Wet.</p>"),),
    ...                   series=(SeriesRef("Weather", 2),), published=date(2021, 3, 1))
    >>> work_from_json(work_to_json(work)) == work
    True
    """
    kept = asdict(replace(work, segmented=None))
    del kept["segmented"]  # all the files' text again, and used only before the upload is kept
    return json.dumps(kept, default=_json_value, ensure_ascii=False)


def work_from_json(text: str) -> ParsedWork:
    """A work kept by ``work_to_json``, exactly as it was."""
    data: dict[str, Any] = json.loads(text)
    data["chapters"] = tuple(ParsedChapter(**chapter) for chapter in data["chapters"])
    data["series"] = tuple(SeriesRef(**ref) for ref in data["series"])
    for key in ("published", "updated"):
        data[key] = date.fromisoformat(data[key]) if data[key] else None
    for key, value in data.items():
        if isinstance(value, list):
            data[key] = tuple(value)
    return ParsedWork(**data)


def _json_value(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not kept in JSON")
