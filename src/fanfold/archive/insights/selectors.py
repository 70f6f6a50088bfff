"""Reads of the insights app: a work's characters page, and its dialogue coloured by speaker.

Figures are sums over the rows of the chapters the viewer may read: posted
chapters for every reader; the author also counts their own drafts (marked
as drafts), so an imported draft work shows its cast to its author before it
is posted. A draft chapter never reaches anyone else's figures. Each page
costs a fixed number of queries, however many chapters and characters.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from fanfold.archive.insights.dialogue import PALETTE_SIZE, Speaker, colour_body
from fanfold.archive.insights.findings import chapter_text, digest
from fanfold.archive.insights.models import AnalysisState, ChapterAnalysis, WorkAnalysis
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Chapter, Work
from fanfold.archive.works.versions import remembered

CHARTED = 12  # characters drawn in the charts; the tables list them all
DIALOGUE_COOKIE = "colour_dialogue"  # a guest's choice: "1" on, anything else off


@dataclass(frozen=True, slots=True)
class Person:
    """A character as the page shows them: the cast entry and the counted figures."""

    index: int  # in WorkAnalysis.cast
    name: str
    aliases: list[str]
    mentions: int
    quotes: int
    words: int


@dataclass(frozen=True, slots=True)
class ChapterFigures:
    number: int
    heading: str
    url: str
    words: int
    is_draft: bool


@dataclass(frozen=True)
class CharactersPage:
    """What the characters page shows; ``read`` is False until Fanfold has read the work."""

    work: Work
    read: bool
    reading: bool = False  # a newer version of the text is waiting to be read
    failed: bool = False  # the last reading failed: the figures are from the one before
    people: list[Person] = field(default_factory=list)  # most present first
    chapters: list[ChapterFigures] = field(default_factory=list)
    presence: dict[int, list[int]] = field(default_factory=dict)  # person index: per chapter
    exchanges: list[tuple[int, int, int]] = field(default_factory=list)  # strongest first

    @property
    def charted(self) -> list[Person]:
        return self.people[:CHARTED]

    @property
    def speakers(self) -> list[Person]:
        """Everyone who speaks, most words first."""
        return sorted((p for p in self.people if p.quotes), key=lambda p: (-p.words, p.name))

    def presence_rows(self) -> list[tuple[Person, list[int]]]:
        return [(person, self.presence[person.index]) for person in self.people]

    def named_exchanges(self) -> list[tuple[Person, Person, int]]:
        by_index = {person.index: person for person in self.people}
        return [(by_index[a], by_index[b], n) for a, b, n in self.exchanges]


def _counted_chapters(work: Work, viewer: Any) -> QuerySet[Chapter]:
    chapters = Chapter.objects.filter(work=work).order_by("position")
    if viewer.pk != work.owner_id:
        chapters = chapters.filter(is_draft=False)
    return chapters.select_related("analysis").defer(
        "body", "notes", "end_notes", "summary", "analysis__quotes", "analysis__apart"
    )


def read_analysis(*, work: Work) -> WorkAnalysis | None:
    """The work's stored analysis, if its author lets it be read and it has been read once."""
    if not work.analysis_enabled:
        return None
    return (
        WorkAnalysis.objects.filter(work=work, analysed_at__isnull=False)
        .only("cast", "state", "work_id", "analysed_at")
        .first()
    )


def characters_page(*, work: Work, viewer: Any) -> CharactersPage | None:
    """The page's figures, or None when the author turned analysis off."""
    if not work.analysis_enabled:
        return None
    analysis = read_analysis(work=work)
    if analysis is None:
        return CharactersPage(work=work, read=False)
    chapters = list(_counted_chapters(work, viewer))
    rows = [getattr(chapter, "analysis", None) for chapter in chapters]
    mentions: Counter[int] = Counter()
    spoken: dict[int, list[int]] = {}
    talk: Counter[tuple[int, int]] = Counter()
    for row in rows:
        if row is None:
            continue  # a chapter added since the last reading
        mentions.update({int(who): n for who, n in row.presence.items()})
        for who, (quotes, words) in row.speech.items():
            figures = spoken.setdefault(int(who), [0, 0])
            figures[0] += quotes
            figures[1] += words
        talk.update({(a, b): n for a, b, n in row.talk})
    people = _people(analysis.cast, mentions, spoken)
    shown = {person.index for person in people}
    return CharactersPage(
        work=work,
        read=True,
        reading=analysis.state in {AnalysisState.PENDING, AnalysisState.RUNNING},
        failed=analysis.state == AnalysisState.FAILED,
        people=people,
        chapters=[
            ChapterFigures(
                number=chapter.number,
                heading=chapter.heading,
                url=chapter.get_absolute_url(),
                words=chapter.word_count,
                is_draft=chapter.is_draft,
            )
            for chapter in chapters
        ],
        presence={
            person.index: [
                int(row.presence.get(str(person.index), 0)) if row else 0 for row in rows
            ]
            for person in people
        },
        exchanges=sorted(
            ((a, b, n) for (a, b), n in talk.items() if a in shown and b in shown),
            key=lambda edge: (-edge[2], edge[0], edge[1]),
        ),
    )


def _people(
    cast: list[dict[str, Any]], mentions: Counter[int], spoken: dict[int, list[int]]
) -> list[Person]:
    people = [
        Person(
            index=index,
            name=str(entry.get("name", "")),
            aliases=[str(a) for a in entry.get("aliases", []) if a != entry.get("name")],
            mentions=mentions[index],
            quotes=spoken.get(index, [0, 0])[0],
            words=spoken.get(index, [0, 0])[1],
        )
        for index, entry in enumerate(cast)
        if mentions[index] > 0
    ]
    return sorted(people, key=lambda p: (-p.mentions, p.name))


# Dialogue coloured by speaker ---------------------------------------------------


def colours_dialogue(user: Any, cookie: str | None) -> bool:
    """Whether the reader wants dialogue coloured: the account's choice, or a guest's cookie.

    >>> from django.contrib.auth.models import AnonymousUser
    >>> colours_dialogue(AnonymousUser(), "1"), colours_dialogue(AnonymousUser(), None)
    (True, False)
    """
    if isinstance(user, User):
        return user.colour_dialogue
    return cookie == "1"


@dataclass(frozen=True)
class DialogueColours:
    """What a reading page needs to colour its chapters' dialogue (or to offer it)."""

    work: Work
    on: bool
    bodies: dict[int, str] = field(default_factory=dict)  # chapter id: coloured body
    unread: set[int] = field(default_factory=set)  # chapters whose text changed since reading
    legend: list[Speaker] = field(default_factory=list)


def speakers_of(cast: list[dict[str, Any]]) -> dict[int, Speaker]:
    """A palette slot for the most mentioned characters of the work, the same in every chapter.

    >>> speakers_of([{"name": "Ann", "mentions": 1}, {"name": "Bob", "mentions": 5}])
    {1: Speaker(slot=0, name='Bob'), 0: Speaker(slot=1, name='Ann')}
    """
    ranked = sorted(range(len(cast)), key=lambda i: (-int(cast[i].get("mentions", 0)), i))
    return {
        index: Speaker(rank if rank < PALETTE_SIZE else None, str(cast[index].get("name", "")))
        for rank, index in enumerate(ranked)
    }


def dialogue_colours(*, work: Work, chapters: list[Chapter], on: bool) -> DialogueColours | None:
    """The chapters' dialogue coloured (when ``on``); None when the work has no analysis to use.

    A chapter is coloured only with quotes read from its current text (the
    digests agree); one edited since, or not read yet, is ``unread``. What a
    chapter looks like is cached under its text and the reading's time, so a
    long work is traced once per version, not once per page view; the
    analysis itself is read once per version of the work (storing or
    forgetting one moves it).
    """
    analysis = remembered(work, "analysis", lambda: read_analysis(work=work))
    if analysis is None:
        return None
    if not on:
        return DialogueColours(work=work, on=False)
    speakers = speakers_of(analysis.cast)
    keys = {chapter.pk: _colour_key(chapter, analysis) for chapter in chapters}
    looks: dict[str, _Look] = cache.get_many(list(keys.values()))
    missing = [chapter for chapter in chapters if keys[chapter.pk] not in looks]
    if missing:
        worked_out = _colour(missing, speakers)
        cache.set_many({keys[pk]: look for pk, look in worked_out.items()}, _COLOURS_KEPT)
        looks.update({keys[pk]: look for pk, look in worked_out.items()})
    bodies: dict[int, str] = {}
    unread: set[int] = set()
    heard: set[int] = set()
    for chapter in chapters:
        state, coloured, speaking = looks[keys[chapter.pk]]
        if state == _UNREAD:
            unread.add(chapter.pk)
        elif state == _COLOURED:
            bodies[chapter.pk] = coloured
            heard.update(speaking)
    legend = sorted(
        (speakers[who] for who in heard if who in speakers),
        key=lambda s: (s.slot if s.slot is not None else PALETTE_SIZE, s.name),
    )
    return DialogueColours(work=work, on=True, bodies=bodies, unread=unread, legend=legend)


_COLOURED, _UNREAD, _PLAIN = "coloured", "unread", "plain"
_COLOURS_KEPT = 7 * 24 * 60 * 60
_Look = tuple[str, str, list[int]]  # state, coloured body, who speaks in it


def _colour_key(chapter: Chapter, analysis: WorkAnalysis) -> str:
    body = hashlib.sha256(chapter.body.encode("utf-8", "surrogatepass")).hexdigest()
    read_at = analysis.analysed_at.timestamp() if analysis.analysed_at else 0
    return f"insights:colours:{chapter.pk}:{body}:{read_at}"


def _colour(chapters: list[Chapter], speakers: dict[int, Speaker]) -> dict[int, _Look]:
    """Each chapter's look: coloured (with its body), unread (changed since), or plain."""
    rows = {
        row.chapter_id: row
        for row in ChapterAnalysis.objects.filter(chapter__in=chapters).only(
            "chapter_id", "digest", "quotes"
        )
    }
    looks: dict[int, _Look] = {}
    for chapter in chapters:
        row = rows.get(chapter.pk)
        text = chapter_text(chapter.body)
        if row is None or row.digest != digest(text):
            looks[chapter.pk] = (_UNREAD, "", [])
            continue
        coloured = colour_body(chapter.body, row.quotes, speakers, text=text)
        # None: the text and its HTML do not line up, so the chapter is left as it is.
        speaking = sorted({quote[3] for quote in row.quotes if quote[3] in speakers})
        looks[chapter.pk] = (
            (_PLAIN, "", []) if coloured is None else (_COLOURED, coloured, speaking)
        )
    return looks
