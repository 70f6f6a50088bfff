"""Stage ``dialogue``: where the quotations are, as spans that exclude the marks.

How it decides:

1. *The document's mark.* Double quotes (straight ``"`` or curly ``“”``)
   unless single-quote openings (``'`` or ``‘`` before a word, after a space)
   clearly outnumber them, as in British editions. In single-quote mode an
   apostrophe inside a word (don't), an elision at a word's start (’em,
   'tis) and a plural possessive before a lowercase word (the Joneses'
   house) are not marks; inside a quotation only a closing mark counts, so
   nested double quotes and stray openers cannot derail it.
2. *Paragraphs reset the state.* Marks pair up inside each paragraph. A
   quotation still open at a paragraph's end ends there; when the next
   paragraph opens with a quotation mark, the speech goes on, and both
   paragraphs become parts of one ``Quote``.
3. *Interrupted quotations join.* Two quotations in one paragraph separated
   only by a short stretch of narration (``"Yes," he said, "I will."``, or
   ``"No." She paused. "Not yet."``) are one speech with two parts, which is
   how PDNC annotates them.
4. *Scare quotes and titles are not speech.* A short quotation (four words
   or fewer) inside a sentence, after a word rather than after speech
   punctuation, ending without punctuation of its own (the word "love", the
   song "Chances") is dropped.

>>> text = '"Yes," he said, "I will."\\n\\nShe hummed the song "Chances" twice.'
>>> [[p.of(text) for p in q.parts] for q in find_quotes(text)]
[['Yes,', 'I will.']]
>>> brit = "'Don't,' she said. 'The Joneses' dog bites.'"
>>> [q.span.of(brit) for q in find_quotes(brit)]
["Don't,' she said. 'The Joneses' dog bites."]
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from fanfold.text.normalise import paragraphs, paragraphs_within
from fanfold.text.spans import Span


@dataclass(frozen=True, slots=True)
class Quote:
    """One speech: its overall span and its parts (marks excluded)."""

    span: Span  # first part's start .. last part's end
    parts: tuple[Span, ...]


_DOUBLE_MARKS = re.compile(r'["“”]')
_SINGLE_MARKS = re.compile(r"['‘’]")
# A single-quote opening: at the start or after a space or an opening bracket/dash,
# before a letter. The mark comes first in the pattern so re can skip to the
# marks; the text's very first character is checked on its own.
_SINGLE_OPENING = re.compile(r"['‘](?<=[\s(\[—–-].)(?=[^\W\d_]|[.…—-])")
_SINGLE_OPENING_AT_START = re.compile(r"['‘](?=[^\W\d_]|[.…—-])")
# Words that begin with an elision apostrophe and are not quotations.
_ELISIONS = re.compile(
    r"(?:em|tis|twas|twere|twill|cause|cos|coz|til|till|bout|round|n|nuff|ello|e|er|im|is|"
    r"ow|ave|ad|alf|ere|appen|un|uns|scuse|sup|kay|ya|yer|d|s|ll|re|ve|m|t)\b",
    re.IGNORECASE,
)
_SINGLE_MODE_RATIO = 2.0  # single openings must outnumber double marks this much
_SINGLE_MODE_MIN = 5

_MAX_TAG_CHARS = 160  # narration between two parts of one speech is a short tag
_SCARE_MAX_WORDS = 4
_SPEECH_END = frozenset(",.!?;:…—-–")
_CONTINUES = frozenset(",:—–-")  # an opening mark after these follows a tag


def find_quotes(text: str, regions: Sequence[Span] | None = None) -> tuple[Quote, ...]:
    """Every quotation in ``text`` (inside ``regions`` when given), in order."""
    single = _single_mode(text)
    quotes: list[Quote] = []
    pending: list[Span] | None = None  # parts of a speech left open at a paragraph end
    for paragraph in _paragraphs_in(text, regions):
        segments, open_at_end = _segments(text, paragraph, single)
        if pending is not None and segments and segments[0].start - 1 == paragraph.start:
            segments[0] = _Segment(segments[0].start, segments[0].end, continued=True)
        elif pending is not None:
            quotes.append(_quote(pending))
            pending = None
        groups = _join_interrupted(text, paragraph, segments)
        for index, group in enumerate(groups):
            parts = [Span(s.start, s.end) for s in group]
            if index == 0 and group[0].continued and pending is not None:
                # Grown in place: a speech open over many paragraphs stays linear.
                pending.extend(parts)
                parts, pending = pending, None
            if index == len(groups) - 1 and open_at_end:
                pending = parts
            else:
                quotes.append(_quote(parts))
    if pending is not None:
        quotes.append(_quote(pending))
    return tuple(quotes)


@dataclass(frozen=True, slots=True)
class _Segment:
    start: int  # after the opening mark
    end: int  # before the closing mark (or at the paragraph's end)
    continued: bool = False  # opens a paragraph that carries on an open speech


def _quote(parts: list[Span]) -> Quote:
    return Quote(Span(parts[0].start, parts[-1].end), tuple(parts))


def _paragraphs_in(text: str, regions: Sequence[Span] | None) -> Iterator[Span]:
    if regions is None:
        yield from paragraphs(text)
        return
    for region in regions:
        start, end = max(0, region.start), min(len(text), region.end)
        if start >= end:
            continue
        yield from paragraphs_within(text, start, end)


def _single_mode(text: str) -> bool:
    doubles = len(_DOUBLE_MARKS.findall(text))
    ends = [match.end() for match in _SINGLE_OPENING.finditer(text)]
    if _SINGLE_OPENING_AT_START.match(text):
        ends.append(1)
    openings = sum(1 for end in ends if not _ELISIONS.match(text, end))
    enough = openings >= _SINGLE_MODE_MIN or (openings and not doubles)
    return bool(enough) and openings > doubles * _SINGLE_MODE_RATIO


def _segments(text: str, paragraph: Span, single: bool) -> tuple[list[_Segment], bool]:
    """The quoted stretches of one paragraph, and whether the last is left open."""
    marks = _single_marks(text, paragraph) if single else _double_marks(text, paragraph)
    segments: list[_Segment] = []
    opened: int | None = None
    for position, kind in marks:
        if opened is None:
            if kind != "close":
                opened = position + 1
        elif kind != "open" or not single:
            if kind == "open" and text[position] == "“":
                # A fresh opener while open: the earlier quotation was never closed.
                segments.append(_Segment(opened, _rstrip(text, opened, position)))
                opened = position + 1
                continue
            segments.append(_Segment(opened, position))
            opened = None
    open_at_end = opened is not None
    if opened is not None:
        segments.append(_Segment(opened, _rstrip(text, opened, paragraph.end)))
    kept = [s for s in segments if s.end > s.start and not _is_scare_quote(text, paragraph, s)]
    return kept, open_at_end and bool(kept) and kept[-1].end == segments[-1].end


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _double_marks(text: str, paragraph: Span) -> Iterator[tuple[int, str]]:
    for match in _DOUBLE_MARKS.finditer(text, paragraph.start, paragraph.end):
        mark = match.group()
        yield match.start(), "open" if mark == "“" else "close" if mark == "”" else "either"


def _single_marks(text: str, paragraph: Span) -> Iterator[tuple[int, str]]:
    """Single-quote marks that are quotation marks, not apostrophes."""
    for match in _SINGLE_MARKS.finditer(text, paragraph.start, paragraph.end):
        position = match.start()
        before = text[position - 1] if position > paragraph.start else " "
        after = text[position + 1] if position + 1 < paragraph.end else " "
        opening = not before.isalnum() and before not in ".,!?" and not after.isspace()
        closing = not before.isspace() and not after.isalnum()
        if opening and not closing:
            if not _ELISIONS.match(text, position + 1):
                yield position, "open"
        elif closing and not opening and not _possessive(text, position, paragraph.end):
            yield position, "close"


def _possessive(text: str, position: int, limit: int) -> bool:
    """``the Joneses' dog``: an s, the mark, a space and a lowercase word."""
    return (
        text[position - 1] in "sS"
        and position + 2 < limit
        and text[position + 1] == " "
        and text[position + 2].islower()
    )


def _is_scare_quote(text: str, paragraph: Span, segment: _Segment) -> bool:
    content = text[segment.start : segment.end]
    if not content.strip():
        return True
    if len(content.split()) > _SCARE_MAX_WORDS or content.rstrip()[-1] in _SPEECH_END:
        return False
    # A bounded look back: a long paragraph with many quotations stays linear.
    before = text[max(paragraph.start, segment.start - 41) : segment.start - 1].rstrip()
    if not before or before[-1] in _CONTINUES:
        return False
    after = text[segment.end + 1 : segment.end + 3].lstrip()
    # "No" he said: a bare word answer without its comma still reads as speech.
    return not (before[-1] in ".!?" and after[:1].islower())


def _join_interrupted(text: str, paragraph: Span, segments: list[_Segment]) -> list[list[_Segment]]:
    groups: list[list[_Segment]] = []
    for segment in segments:
        if groups and _is_tag(text[groups[-1][-1].end + 1 : segment.start - 1]):
            groups[-1].append(segment)
        else:
            groups.append([segment])
    return groups


def _is_tag(gap: str) -> bool:
    return 0 < len(gap) <= _MAX_TAG_CHARS and not any(mark in gap for mark in '"“”')
