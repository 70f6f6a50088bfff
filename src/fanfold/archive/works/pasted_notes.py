"""Author's notes pasted into a chapter's text, offered to move into the notes fields.

Chapters copied from sites without notes fields arrive with "A/N:" blocks and
disclaimers above and below the story. The reading engine's ``segment`` stage
finds them (fast enough to run in the request); this module decides what a
posting form offers to move, and moves it when the author accepts.

What moves: author's notes and disclaimers before the story's first paragraph
(to the beginning notes) and after its last (to the end notes). Headings stay
in the text ("Chapter 3: The Storm", "Mark's POV": they head the story, and
the chapter title is the author's to type), and so does anything in the
middle: only the edges are offered, and only when some story is left.

Plain text is cut where the engine's spans say and the rest is kept exactly
as typed; HTML (what an edit form holds) is cut between its top-level blocks,
a block moving only when all of it is note.

>>> found = find_pasted_notes("A/N: Thanks for reading!\\n\\nThe tide turned.\\n\\nWren slept.")
>>> found.body, found.beginning_text, found.end_text
('The tide turned.\\n\\nWren slept.', 'A/N: Thanks for reading!', '')
>>> [(note.kind, note.reason, note.lines) for note in found.beginning]
[("Author's note", 'it starts with “A/N:”', ('A/N: Thanks for reading!',))]
>>> find_pasted_notes("The tide turned.\\n\\nWren slept.") is None
True
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from fanfold.archive.works.models import CHAPTER_BODY_MIN, NOTES_MAX
from fanfold.formats.clean import multiline
from fanfold.formats.userhtml import (
    looks_like_html,
    plain_text_to_html,
    to_plain_text,
    to_safe_html,
)
from fanfold.text.segment import BREAK_LINE, Segment, segment_chapter
from fanfold.text.spans import Span

_MOVABLE = {"author_note": "Author's note", "disclaimer": "Disclaimer"}
_BLOCK_OPENING = re.compile(
    r"<(?:p|div|blockquote|ol|ul|dl|table|h[1-6]|pre|hr|details|figure|address|center)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MovedNote:
    """One note or disclaimer that would move: what it is, why the engine thinks so, its lines."""

    kind: str
    reason: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class PastedNotes:
    """The notes found at the edges of a chapter's text, and the text without them.

    ``beginning_text`` and ``end_text`` are what would be appended to the
    notes fields, in the body's own form (plain text, or sanitised HTML).
    """

    body: str
    beginning: tuple[MovedNote, ...]
    end: tuple[MovedNote, ...]
    beginning_text: str
    end_text: str
    is_html: bool
    separators: tuple[str, ...] = ()  # symbol lines that only parted notes from story: dropped

    @property
    def digest(self) -> str:
        """A short fingerprint of the lines that would move, however the text was written.

        The same notes typed as plain text or stored as HTML give the same
        digest, so a form can tell whether an offer is new.
        """
        parts = [
            f"{place}:{' '.join(line.split())}"
            for place, notes in (("beginning", self.beginning), ("end", self.end))
            for note in notes
            for line in note.lines
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


class NotesTooLongError(ValueError):
    """Moving the notes would take a notes field over ``NOTES_MAX``; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def find_pasted_notes(body: str) -> PastedNotes | None:
    """The notes and disclaimers at the edges of ``body`` (HTML or plain); None if none move."""
    text = multiline(body)
    if looks_like_html(text) and _BLOCK_OPENING.search(text):
        return _from_html(to_safe_html(text))
    return _from_plain(text.strip())


def offer_for(body: str, *, declined: str = "", before: str = "") -> PastedNotes | None:
    """The notes to offer the author, or None.

    None when nothing moves, when the author already declined these very
    lines (``declined``: the digest the form kept), or when the text as it
    was stored (``before``, for an edit) held the same notes: editing an old
    chapter does not ask again about notes it always had.
    """
    found = find_pasted_notes(body)
    if found is None or found.digest == declined:
        return None
    previous = find_pasted_notes(before) if before else None
    if previous is not None and previous.digest == found.digest:
        return None
    return found


def move_into_notes(found: PastedNotes, *, notes: str, end_notes: str) -> tuple[str, str, str]:
    """``(body, notes, end_notes)`` with the found notes appended to the notes fields.

    Raises ``NotesTooLongError`` when a notes field would go over the limit,
    so the author's text is kept as typed rather than cut.

    >>> found = find_pasted_notes("The tide turned, and Wren slept.\\n\\nA/N: More soon!")
    >>> move_into_notes(found, notes="", end_notes="Thanks to my beta.")
    ('The tide turned, and Wren slept.', '', 'Thanks to my beta.\\n\\nA/N: More soon!')
    """
    beginning = _append(notes, found.beginning_text, is_html=found.is_html)
    end = _append(end_notes, found.end_text, is_html=found.is_html)
    for field, label, value in (("notes", "beginning", beginning), ("end_notes", "end", end)):
        if len(value) > NOTES_MAX:
            raise NotesTooLongError(
                field,
                f"Moving them would make the {label} notes {len(value):,} characters long; "
                f"at most {NOTES_MAX:,} are allowed. Your text is kept as you typed it: "
                "shorten the notes, or keep them in the text.",
            )
    return found.body, beginning, end


def _append(existing: str, moved: str, *, is_html: bool) -> str:
    """``moved`` after what the field already holds, both kept readable as one field."""
    if not moved:
        return existing
    if not existing.strip():
        return moved
    if not is_html and not looks_like_html(existing):
        return f"{existing.rstrip()}\n\n{moved}"
    return f"{to_safe_html(existing)}\n{moved if is_html else plain_text_to_html(moved)}"


def _movable_edges(segments: tuple[Segment, ...]) -> tuple[list[Segment], list[Segment]]:
    """The notes and disclaimers before the first story segment, and after the last."""
    story = [index for index, segment in enumerate(segments) if segment.kind == "story"]
    if not story:
        return [], []  # all note (a hiatus notice): the text is the chapter
    top = [s for s in segments[: story[0]] if s.kind in _MOVABLE]
    bottom = [s for s in segments[story[-1] + 1 :] if s.kind in _MOVABLE]
    return top, bottom


def _from_plain(text: str) -> PastedNotes | None:
    top, bottom = _movable_edges(segment_chapter(text).segments)
    if not top and not bottom:
        return None
    kept: list[str] = []
    position = 0
    for segment in (*top, *bottom):
        kept.append(text[position : segment.span.start].strip())
        position = segment.span.end
    kept.append(text[position:].strip())
    lines = "\n\n".join(piece for piece in kept if piece).split("\n")
    separators = _trim_separators(lines, top=bool(top), bottom=bool(bottom))
    body = "\n".join(lines).strip()
    if len(body) < CHAPTER_BODY_MIN:
        return None
    return PastedNotes(
        body=body,
        separators=tuple(separators),
        beginning=tuple(_moved(s, s.span.of(text)) for s in top),
        end=tuple(_moved(s, s.span.of(text)) for s in bottom),
        beginning_text="\n\n".join(s.span.of(text).strip() for s in top),
        end_text="\n\n".join(s.span.of(text).strip() for s in bottom),
        is_html=False,
    )


def _from_html(html: str) -> PastedNotes | None:
    blocks = top_level_blocks(html)
    plain = [to_plain_text(block) for block in blocks]
    top, bottom = _movable_edges(segment_chapter("\n\n".join(plain)).segments)
    owners = _owners(plain, [*top, *bottom])
    kept = [block for block, owner in zip(blocks, owners, strict=True) if owner is None]
    separators = _trim_separators(kept, top=bool(top), bottom=bool(bottom), html=True)
    body = "\n".join(kept)
    members: dict[int, list[int]] = {}
    for index, owner in enumerate(owners):
        if owner is not None:
            members.setdefault(id(owner), []).append(index)
    if not members or len(to_plain_text(body)) < CHAPTER_BODY_MIN:
        return None

    def moved(group: list[Segment]) -> tuple[tuple[MovedNote, ...], str]:
        owned = [
            (s, "\n".join(blocks[i] for i in members[id(s)])) for s in group if id(s) in members
        ]
        return tuple(_moved(s, source) for s, source in owned), "\n".join(x for _, x in owned)

    (beginning, beginning_text), (end, end_text) = moved(top), moved(bottom)
    return PastedNotes(
        body=body,
        beginning=beginning,
        end=end,
        beginning_text=beginning_text,
        end_text=end_text,
        is_html=True,
        separators=tuple(separators),
    )


def _owners(plain: list[str], segments: list[Segment]) -> list[Segment | None]:
    """For each block's text, the moving segment that holds all of it (None: it stays).

    The blocks' texts are read joined by blank lines; blocks and segments
    are both in text order, so one pass pairs them.
    """
    owners: list[Segment | None] = []
    position = 0
    index = 0
    for words in plain:
        span = Span(position, position + len(words))
        position = span.end + 2
        while index < len(segments) and segments[index].span.end < span.end:
            index += 1
        candidate = segments[index] if index < len(segments) else None
        holds = words and candidate is not None and candidate.span.contains(span)
        owners.append(candidate if holds else None)
    return owners


def _trim_separators(
    pieces: list[str], *, top: bool, bottom: bool, html: bool = False
) -> list[str]:
    """Take symbol lines and blanks off the ends where notes left; return the symbol lines.

    ``pieces`` are lines of plain text or blocks of HTML, trimmed in place.
    """
    taken: list[str] = []

    def separator(piece: str) -> str | None:
        visible = (to_plain_text(piece) if html else piece).strip()
        return visible if not visible or BREAK_LINE.match(visible) else None

    first, last = 0, len(pieces)
    while top and first < last and (visible := separator(pieces[first])) is not None:
        taken += [visible] if visible else []
        first += 1
    while bottom and last > first and (visible := separator(pieces[last - 1])) is not None:
        taken += [visible] if visible else []
        last -= 1
    pieces[:] = pieces[first:last]
    return taken


def _moved(segment: Segment, source: str) -> MovedNote:
    visible = to_plain_text(to_safe_html(source))
    lines = tuple(line.strip() for line in visible.splitlines() if line.strip())
    return MovedNote(kind=_MOVABLE[segment.kind], reason=reason_in_words(segment.cue), lines=lines)


_QUOTED = re.compile(r"""['"](.+)['"]""")


def reason_in_words(cue: str) -> str:
    """The engine's cue, as a sentence an author reads.

    >>> reason_in_words("label 'Disclaimer'")
    'it starts with “Disclaimer”'
    >>> reason_in_words("disclaimer phrase 'belongs to'")
    'it says “belongs to”, as disclaimers do'
    >>> reason_in_words("words about writing and posting (chapter, review)")
    'it uses words about writing and posting (chapter, review)'
    """
    quoted = _QUOTED.search(cue)
    words = quoted.group(1) if quoted else ""
    if cue.startswith(("label ", "section label ")) and words:
        return f"it starts with “{words}”"
    if cue.startswith("disclaimer phrase") and words:
        return f"it says “{words}”, as disclaimers do"
    if cue.startswith("talks about the story") and words:
        return f"it talks about the story (“{words}”)"
    if cue.startswith("words about writing"):
        return f"it uses {cue}"
    if cue.startswith("at the edge of the chapter"):
        return "it sits with the notes at the edge of the chapter, outside the story"
    if cue == "line of symbols":
        return "it is a line of symbols beside a note"
    return f"the engine read it as {cue}"


_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
_VOID = frozenset({"br", "hr", "img", "col", "wbr"})
_BLOCKS = frozenset(
    "p div blockquote ol ul dl table h1 h2 h3 h4 h5 h6 pre details figure address center".split()
)


def top_level_blocks(html: str) -> list[str]:
    """Sanitised HTML cut into its top-level blocks; text between blocks is a block of its own.

    >>> top_level_blocks("<p>A/N: hi</p>\\n<hr>\\n<div><p>Story</p></div>tail <em>end</em>")
    ['<p>A/N: hi</p>', '<hr>', '<div><p>Story</p></div>', 'tail <em>end</em>']
    """
    blocks: list[str] = []

    def flush(piece: str) -> None:
        if piece.strip():
            blocks.append(piece.strip())

    depth = 0
    start = 0
    for tag in _TAG.finditer(html):
        closing, name = tag.group(1), tag.group(2).lower()
        if name in _VOID:
            if depth == 0 and name == "hr":
                flush(html[start : tag.start()])
                blocks.append(tag.group())
                start = tag.end()
            continue
        if not closing:
            if depth == 0 and name in _BLOCKS:
                flush(html[start : tag.start()])
                start = tag.start()
            depth += 1
            continue
        depth = max(0, depth - 1)
        if depth == 0 and name in _BLOCKS:
            flush(html[start : tag.end()])
            start = tag.end()
    flush(html[start:])
    return blocks
