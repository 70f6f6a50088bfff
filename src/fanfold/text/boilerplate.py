"""What sites and download tools put around a chapter, recognised line by line.

A chapter copied from an AO3 page or saved through AO3's download, or
FanFicFare, arrives framed by the site's own words: the work's title and
byline, "Summary:" and "Notes:" labels, "(See the end of the chapter for
notes.)", "Chapter End Notes", series links. None of it is story, and none
of it is ambiguous once recognised, so the segmenter takes these as strong
cues before it weighs anything else.

Two kinds of frame line:

- a *section label* opens a note that runs to the next frame line or
  header ("Summary:", "Notes:", "Chapter Summary", "Chapter End Notes");
- a *marker* stands alone ("(See the end of the work for notes.)",
  "Edit Chapter", "Part 2 of the Iterum Rex series", "Works inspired by
  this one:").

>>> frame_line("Chapter End Notes")
FrameLine(kind='author_note', cue="section label 'Chapter End Notes'", opens_section=True)
>>> frame_line("(See the end of the chapter for notes.)").opens_section
False
>>> frame_line("Notes on a scandal were everywhere.") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

FrameKind = Literal["header", "author_note"]

# Labels AO3 prints on its pages and in its HTML/EPUB downloads, each alone on its line.
_SECTION_LABEL = re.compile(
    r"^(?:(?:Chapter|Work|Author'?s?)\s+)?(?:(?:End\s*)?Notes?|Summary)\s*:?$",
    re.IGNORECASE,
)
_MARKER = re.compile(
    r"^(?:\(?See\s+the\s+end\s+of\s+the\s+(?:chapter|work)\s+for\s+(?:more\s+)?notes\.?\)?"
    r"|\(?See\s+the\s+end\s+of\s+the\s+work\s+for\s+other\s+works\s+inspired\s+by\s+this\s+one\.?\)?"
    r"|Works\s+inspired\s+by\s+this\s+one\s*:?|Series\s+this\s+work\s+belongs\s+to\s*:?"
    r"|(?:←\s*Previous\s+Work\s*)?Part\s+\d+\s+of\s+the\s+.{1,120}?\s+series(?:\s*Next\s+Work\s*→)?"
    r"|(?:←\s*)?Previous\s+Work|Next\s+Work(?:\s*→)?|Edit\s+Chapter|Chapter\s+Text|Work\s+Text\s*:?"
    r"|Translation\s+into\s+.{1,60}?\s+available\s*:.*"
    r"|(?:Original(?:ly)?\s+(?:story|posted)|Cross-?posted|Also\s+posted)\s+(?:on|at|to)\b.{0,160}"
    r"|Posted\s+originally\s+on\b.{0,160})$",
    re.IGNORECASE,
)
# Markup a label may be wrapped in, in Markdown or HTML-ish exports.
_WRAPPING = re.compile(r"^[\s*_#>\[\(]*|[\s*_\]\)]*$")


@dataclass(frozen=True, slots=True)
class FrameLine:
    """A line of a site's frame: what it is, why, and whether a note follows it."""

    kind: FrameKind
    cue: str
    opens_section: bool


def frame_line(paragraph: str) -> FrameLine | None:
    """The frame line a paragraph is, or None when it is not one."""
    if len(paragraph) > 240 or "\n" in paragraph.strip():
        return None
    line = paragraph.strip()
    if _SECTION_LABEL.match(_WRAPPING.sub("", line)):
        return FrameLine("author_note", f"section label {line.strip('*_ ')!r}", opens_section=True)
    if _MARKER.match(_WRAPPING.sub("", line)) or _MARKER.match(line):
        return FrameLine("header", f"site line {line[:60]!r}", opens_section=False)
    return None
