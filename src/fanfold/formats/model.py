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

from dataclasses import dataclass, field, replace
from datetime import date

from fanfold.formats.userhtml import to_plain_text
from fanfold.text.words import count_words


@dataclass(frozen=True, slots=True)
class ParsedChapter:
    """One chapter: its story body and the paratext around it (safe HTML)."""

    body: str
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""

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

    @property
    def word_count(self) -> int:
        return sum(chapter.word_count for chapter in self.chapters)

    def with_message(self, message: str) -> ParsedWork:
        return replace(self, messages=(*self.messages, message))
