"""From a work's chapters to what the insights app stores: the engine's analysis, as rows.

The engine reads plain text; a chapter is stored as sanitised HTML, so each
chapter is read as :func:`chapter_text` makes it, and its version is the
digest of that text. Everything here is pure: no database.

>>> found = read_work([(7, "<p>“Hi,” Anna said to Bob.</p><p>“Hello,” Bob said.</p>")])
>>> sorted(person["name"] for person in found.cast)
['Anna', 'Bob']
>>> found.chapters[0].talk
[[0, 1, 1]]
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from fanfold.formats.userhtml import to_plain_text
from fanfold.text import ChapterAnalysis, WorkAnalysis, analyse_in_order
from fanfold.text.normalise import paragraphs
from fanfold.text.spans import Span
from fanfold.text.words import count_words

# Two quotes this many paragraphs apart or closer, by different speakers, are
# one speaking to the other: an answer comes in the next paragraph or two.
_EXCHANGE_REACH = 3
NO_SPEAKER = -1


@dataclass(frozen=True, slots=True)
class ChapterFindings:
    """One chapter's row-to-be (see ``insights.models.ChapterAnalysis`` for each field)."""

    chapter_id: int
    digest: str
    story_words: int
    presence: dict[str, int]
    speech: dict[str, list[int]]
    talk: list[list[int]]
    quotes: list[list[int]]
    apart: list[list[Any]]


@dataclass(frozen=True, slots=True)
class WorkFindings:
    """The work's row-to-be and its chapters'."""

    fingerprint: str
    cast: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    character_tags: list[str]
    relationship_tags: list[str]
    chapters: list[ChapterFindings] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)


def chapter_text(body: str) -> str:
    """The plain text the engine reads from a stored chapter body."""
    return to_plain_text(body)


def digest(text: str) -> str:
    """A chapter version: the SHA-256 of its text, as hex."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def fingerprint(digests: Sequence[str]) -> str:
    """A work version: the digest of its chapter versions in order."""
    return digest("\n".join(digests))


def read_work(chapters: Sequence[tuple[int, str]]) -> WorkFindings:
    """Read ``(chapter id, stored body)`` in the work's order, as rows to store."""
    texts = [chapter_text(body) for _, body in chapters]
    digests = [digest(text) for text in texts]
    analysis = analyse_in_order(
        [(str(chapter_id), text) for (chapter_id, _), text in zip(chapters, texts, strict=True)]
    )
    return WorkFindings(
        fingerprint=fingerprint(digests),
        cast=[
            {"name": c.name, "aliases": list(c.aliases), "gender": c.gender, "mentions": c.mentions}
            for c in analysis.cast.characters
        ],
        relations=[
            {
                "a": r.a,
                "b": r.b,
                "kind": r.kind,
                "score": round(r.score, 3),
                "interactions": r.interactions,
                "cue": r.cue,
            }
            for r in analysis.relations
        ],
        character_tags=list(analysis.character_tags),
        relationship_tags=list(analysis.relationship_tags),
        chapters=[
            _chapter_findings(chapter_id, digests[doc], analysis, doc)
            for doc, (chapter_id, _) in enumerate(chapters)
        ],
        evidence=where_they_meet(analysis, [chapter_id for chapter_id, _ in chapters]),
    )


def _chapter_findings(
    chapter_id: int, version: str, work: WorkAnalysis, doc: int
) -> ChapterFindings:
    chapter = work.chapters[doc]
    starts = paragraph_starts(chapter.text)
    presence = Counter(str(m.character) for m in work.cast.mentions[doc])
    quotes = _quotes(chapter, starts)
    speech: dict[str, list[int]] = {}
    for attribution in chapter.attributions:
        if attribution.speaker is not None:
            spoken = speech.setdefault(str(attribution.speaker), [0, 0])
            spoken[0] += 1
            spoken[1] += sum(
                count_words(chapter.text[p.start : p.end]) for p in attribution.quote.parts
            )
    story = chapter.segmentation.story_spans()
    return ChapterFindings(
        chapter_id=chapter_id,
        digest=version,
        story_words=sum(count_words(chapter.text[s.start : s.end]) for s in story),
        presence=dict(presence),
        speech=speech,
        talk=_exchanges(quotes),
        quotes=quotes,
        apart=[
            [s.kind, s.span.start, s.span.end, s.cue]
            for s in chapter.segmentation.segments
            if s.kind != "story"
        ],
    )


def paragraph_starts(text: str) -> list[int]:
    """Where each paragraph of a plain text begins (paragraphs split at blank lines).

    >>> paragraph_starts("One.\\n\\nTwo.\\n\\nThree.")
    [0, 6, 12]
    """
    starts = [0]
    at = text.find("\n\n")
    while at != -1:
        starts.append(at + 2)
        at = text.find("\n\n", at + 2)
    return starts


def _quotes(chapter: ChapterAnalysis, starts: list[int]) -> list[list[int]]:
    """Each part of each quote as [paragraph, start, end, speaker], offsets inside the paragraph.

    A part is the quoted words without their marks; a quote broken by a tag
    ("Well," she said, "no.") has two parts, both of the same speaker.
    """
    rows = []
    for attribution in chapter.attributions:
        speaker = NO_SPEAKER if attribution.speaker is None else attribution.speaker
        for part in attribution.quote.parts:
            paragraph = bisect_right(starts, part.start) - 1
            begins = starts[paragraph]
            ends = starts[paragraph + 1] - 2 if paragraph + 1 < len(starts) else len(chapter.text)
            rows.append([paragraph, part.start - begins, min(part.end, ends) - begins, speaker])
    return rows


def _exchanges(quotes: list[list[int]]) -> list[list[int]]:
    """Who answered whom: neighbouring quotes by two speakers, a few paragraphs apart at most.

    >>> _exchanges([[0, 0, 5, 0], [1, 0, 5, 1], [2, 0, 5, 0], [9, 0, 5, 2]])
    [[0, 1, 2]]
    """
    pairs: Counter[tuple[int, int]] = Counter()
    spoken = [q for q in quotes if q[3] != NO_SPEAKER]
    for before, after in pairwise(spoken):
        if before[3] != after[3] and after[0] - before[0] <= _EXCHANGE_REACH:
            a, b = sorted((before[3], after[3]))
            pairs[a, b] += 1
    return [[a, b, n] for (a, b), n in sorted(pairs.items())]


# Where two characters meet, as the author is shown it beside a suggested
# relationship: a few short excerpts for the strongest pairs, bounded so a
# long work costs no more to store than a short one.
EVIDENCE_PAIRS = 8
EXCERPTS_PER_PAIR = 3
EXCERPT_CHARACTERS = 150
_CANDIDATES_PER_PAIR = 60
_SENTENCE_END = re.compile(r"[.!?…]+[\"'’”)\]]*(?=\s|$)")


def where_they_meet(work: WorkAnalysis, chapter_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Excerpts where the strongest pairs (and every suggested relationship's) share a paragraph.

    ``[{"a", "b", "excerpts": [{"chapter": chapter id, "text"}]}]``, the
    excerpts spread over the work (its first meeting, a middle one, the last).
    """
    pairs = _pairs_to_show(work)
    meetings: dict[tuple[int, int], list[tuple[int, Span, int, int]]] = {pair: [] for pair in pairs}
    for doc, chapter in enumerate(work.chapters):
        mentions = work.cast.mentions[doc] if doc < len(work.cast.mentions) else ()
        for paragraph, places in _mentions_by_paragraph(chapter.text, mentions).items():
            for pair in pairs:
                found = meetings[pair]
                if len(found) < _CANDIDATES_PER_PAIR and pair[0] in places and pair[1] in places:
                    lo, hi = _closest(places[pair[0]], places[pair[1]])
                    found.append((doc, paragraph, lo, hi))
    evidence = []
    for (a, b), found in meetings.items():
        # Where both are named within one excerpt's length, when they ever are.
        close = [meeting for meeting in found if meeting[3] - meeting[2] <= EXCERPT_CHARACTERS]
        chosen = _spread(close or found, EXCERPTS_PER_PAIR)
        excerpts = [
            {"chapter": chapter_ids[doc], "text": excerpt(work.chapters[doc].text, par, lo, hi)}
            for doc, par, lo, hi in chosen
        ]
        if excerpts:
            evidence.append({"a": a, "b": b, "excerpts": excerpts})
    return evidence


def _pairs_to_show(work: WorkAnalysis) -> list[tuple[int, int]]:
    """The strongest relations' pairs, then any suggested relationship's not among them."""
    pairs = [(r.a, r.b) for r in work.relations[:EVIDENCE_PAIRS]]
    index = {c.name: i for i, c in enumerate(work.cast.characters)}
    for tag in work.relationship_tags:
        names = re.split(r"/| & ", tag)
        if len(names) == 2 and names[0] in index and names[1] in index:
            pair = (index[names[0]], index[names[1]])
            if pair not in pairs and pair[::-1] not in pairs:
                pairs.append(pair)
    return pairs


def _mentions_by_paragraph(
    text: str, mentions: Sequence[Any]
) -> dict[Span, dict[int, list[tuple[int, int]]]]:
    """Each paragraph's mentions: {paragraph: {character: [(start, end)]}}."""
    spans = paragraphs(text)
    starts = [span.start for span in spans]
    found: dict[Span, dict[int, list[tuple[int, int]]]] = {}
    for mention in mentions:
        index = bisect_right(starts, mention.span.start) - 1
        if index >= 0 and mention.span.end <= spans[index].end:
            places = found.setdefault(spans[index], {})
            places.setdefault(mention.character, []).append((mention.span.start, mention.span.end))
    return found


def _closest(first: list[tuple[int, int]], second: list[tuple[int, int]]) -> tuple[int, int]:
    """The narrowest stretch holding a mention of each: (start, end).

    >>> _closest([(0, 4), (50, 54)], [(40, 43), (90, 93)])
    (40, 54)
    """
    return min(
        ((min(a[0], b[0]), max(a[1], b[1])) for a in first for b in second),
        key=lambda stretch: stretch[1] - stretch[0],
    )


def _spread(items: list[Any], count: int) -> list[Any]:
    """Up to ``count`` items spread evenly over the list, first and last included.

    >>> _spread(list(range(10)), 3), _spread([1, 2], 3)
    ([0, 4, 9], [1, 2])
    """
    if len(items) <= count:
        return list(items)
    step = (len(items) - 1) / (count - 1)
    return [items[round(i * step)] for i in range(count)]


def excerpt(text: str, paragraph: Span, lo: int, hi: int, limit: int = EXCERPT_CHARACTERS) -> str:
    """The sentence(s) of the paragraph holding ``text[lo:hi]``, cut to ``limit`` characters.

    >>> text = "It rained. Mark ran to Lexie at the door. She smiled."
    >>> excerpt(text, Span(0, len(text)), 11, 28)
    'Mark ran to Lexie at the door.'
    >>> excerpt(text, Span(0, len(text)), 11, 28, limit=20)
    'Mark ran to Lexie…'
    """
    chunk = text[paragraph.start : paragraph.end]
    lo, hi = lo - paragraph.start, hi - paragraph.start
    first = max((m.end() for m in _SENTENCE_END.finditer(chunk, 0, lo)), default=0)
    last_match = _SENTENCE_END.search(chunk, hi)
    last = last_match.end() if last_match else len(chunk)
    start, end = first, last
    if end - start > limit:
        start = max(first, lo - max(limit - (hi - lo), 0) // 2)
        end = min(last, start + limit)
        if start > first and not chunk[start - 1].isspace():  # not in the middle of a word
            start = next((i for i in range(start, lo) if chunk[i].isspace()), lo)
        if end < last and not chunk[end].isspace():
            end = next((i for i in range(end, start, -1) if chunk[i].isspace()), end)
    words = " ".join(chunk[start:end].split())
    return ("…" if start > first else "") + words + ("…" if end < last else "")
