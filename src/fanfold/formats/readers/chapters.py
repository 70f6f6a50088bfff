"""Raw chapter files into a work, with the reading engine doing the reading.

Fan fiction saved from sites without notes fields (FanFiction.Net, old
archives) comes as one text per chapter with the author's notes inline
and file names in any order. For each file the engine decides what is
note and what is story (``segment``) and the order of the files
(``ordering``). Notes above the story become the chapter's notes, notes
below its end notes; a "Chapter 3: Title" header gives the title; scene
breaks become ``<hr>``; the body keeps only story. A note that names the
title ('The title is the song "Taking Chances"') names the work. The work keeps the
engine's segmentation (``ParsedWork.segmented``) for the archive to analyse.

>>> work = chapters_to_work([("b.txt", "Chapter 2: After\\n\\nIt ended."),
...                          ("a.txt", "A/N: hi!\\n\\nChapter 1: Before\\n\\nIt began.")])
>>> [(c.title, c.notes, c.body) for c in work.chapters]
[('Before', '<p>A/N: hi!</p>', '<p>It began.</p>'), ('After', '', '<p>It ended.</p>')]
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import replace

from fanfold.formats.errors import FormatError
from fanfold.formats.model import ParsedChapter, ParsedWork
from fanfold.formats.userhtml import plain_text_to_html
from fanfold.text import SegmentedWork, segment_work
from fanfold.text.segment import Segmentation
from fanfold.text.spans import Span

_HEADER_TITLE = re.compile(
    r"^[\s*_~#\[\(-]*(?:chapter|ch\.?|part)\s*[\w-]+\s*(?:[:.\-–—]\s*(?P<title>.+?))?[\s*_~\]\)]*$",
    re.IGNORECASE,
)
_TITLE_IN_NOTE = re.compile(
    r"\btitle\b[^.\n]{0,60}?[\"“](?P<title>[^\"”\n]{2,100})[\"”]", re.IGNORECASE
)


# One file is one chapter here: its story (an archive allows 510,000
# characters, as AO3 does) and its notes. Longer text, or more of it than a
# whole work holds, is refused before the reading engine spends time on it.
MAX_CHAPTER_FILE_CHARACTERS = 600_000
MAX_WORK_CHARACTERS = 6_000_000


def chapters_to_work(files: Sequence[tuple[str, str]]) -> ParsedWork:
    """``(file name, decoded text)`` chapters of one work, in any order, as a work."""
    for name, text in files:
        if len(text) > MAX_CHAPTER_FILE_CHARACTERS:
            raise FormatError(
                name,
                f"it has {len(text):,} characters, and a file is read as one chapter of at most "
                f"{MAX_CHAPTER_FILE_CHARACTERS:,}: split it into one file per chapter",
            )
    total = sum(len(text) for _, text in files)
    if total > MAX_WORK_CHARACTERS:
        raise FormatError(
            f"{len(files)} files",
            f"together they have {total:,} characters; a work is read up to "
            f"{MAX_WORK_CHARACTERS:,}",
        )
    segmented = segment_work(files)
    messages = [_order_message(segmented)] if len(files) > 1 else []
    chapters = []
    work_title = ""
    for chapter_file in segmented.chapters:
        chapter, note_text = _chapter(chapter_file.text, chapter_file.segmentation)
        chapters.append(replace(chapter, source=chapter_file.name) if len(files) > 1 else chapter)
        if chapter.notes or chapter.end_notes:
            messages.append(
                f"{chapter_file.name}: author's notes found and moved out of the story."
            )
        if not work_title and (found := _TITLE_IN_NOTE.search(note_text)):
            work_title = found.group("title").strip()
    names = [chapter_file.name for chapter_file in segmented.chapters]
    return ParsedWork(
        title=work_title or _common_stem(names) or "Untitled",
        chapters=tuple(chapters),
        source=", ".join(name for name, _ in files),
        source_format="chapter-files",
        messages=tuple(messages),
        segmented=segmented,
    )


def _order_message(segmented: SegmentedWork) -> str:
    order = segmented.order
    names = ", ".join(chapter_file.name for chapter_file in segmented.chapters)
    cue = order.cues[0] if order.cues else "file names"
    return f"Chapter order read from the text: {names} (confidence {order.confidence:.2f}; {cue})."


def _chapter(text: str, segmentation: Segmentation) -> tuple[ParsedChapter, str]:
    segments = segmentation.segments
    story = [i for i, s in enumerate(segments) if s.kind == "story"]
    if not story:  # all note: keep the words as the chapter's text
        return ParsedChapter(body=plain_text_to_html(text)), text
    first, last = story[0], story[-1]
    title = ""
    notes: list[str] = []
    end_notes: list[str] = []
    for index, segment in enumerate(segments):
        chunk = segment.span.of(text)
        if segment.kind == "header" and not title and index < first:
            match = _HEADER_TITLE.match(chunk.strip())
            title = (match.group("title") or "").strip() if match else chunk.strip()
        elif segment.kind in {"author_note", "disclaimer"}:
            (notes if index < last else end_notes).append(chunk)
    body_start = segments[first].span.start
    body_end = segments[last].span.end
    body = _story_html(text, segmentation, Span(body_start, body_end))
    note_text = "\n\n".join(notes + end_notes)
    return (
        ParsedChapter(
            body=body,
            title=title,
            notes=plain_text_to_html("\n\n".join(notes)),
            end_notes=plain_text_to_html("\n\n".join(end_notes)),
        ),
        note_text,
    )


def _story_html(text: str, segmentation: Segmentation, story: Span) -> str:
    """The story's text as paragraphs, notes in the middle left out, breaks as ``<hr>``."""
    cuts = sorted(
        [s.span for s in segmentation.segments if s.kind != "story" and story.contains(s.span)]
        + [b for b in segmentation.scene_breaks if story.contains(b)]
    )
    breaks = set(segmentation.scene_breaks)
    pieces: list[str] = []
    position = story.start
    for cut in cuts:
        pieces.append(plain_text_to_html(text[position : cut.start]))
        if cut in breaks:
            pieces.append("<hr>")
        position = max(position, cut.end)
    pieces.append(plain_text_to_html(text[position : story.end]))
    return "\n".join(piece for piece in pieces if piece)


def _common_stem(names: list[str]) -> str:
    stems = [os.path.splitext(name)[0] for name in names]
    if not stems:
        return ""
    prefix = os.path.commonprefix(stems)  # noqa: RUF071 (character by character, on purpose)
    return re.sub(r"[\W_\d]+$", "", prefix).replace("_", " ").strip()
