"""Dialogue coloured by speaker: a chapter's stored quotes, marked in its stored HTML.

The engine read the chapter's plain text (:func:`findings.chapter_text`) and
stored each quote as offsets into a paragraph of that text. To mark a quote in
the HTML, each character of the plain text is traced back to where it came
from in the HTML (:func:`trace`), by doing what ``chapter_text`` does, one
character at a time. If the traced text is not exactly the text the engine
read, the two do not line up and the chapter is shown uncoloured: never
coloured wrongly.

A quote is marked as one ``<span>`` per run of text between tags, so an
``<em>`` inside a quote keeps its nesting; the narration between the parts of
a quote ("“Go,” he said. “Now.”") is left unmarked. Only span markup of our
own is added: the body was sanitised when stored, and names are escaped.

>>> body = "<p>“Hi,” Ann said.</p>\\n<p>“<em>Hello</em>,” said Bob.</p>"
>>> coloured = colour_body(body, [[0, 1, 4, 0], [1, 1, 7, 1]], {0: ANN, 1: BOB})
>>> for line in coloured.replace('"speaker-mark" aria-hidden="true"', "m").split("<span "):
...     print(line)
<p>
class="said said-0" title="Ann">
class=m>A</span>“Hi,”</span> Ann said.</p>
<p>
class="said said-1" title="Bob">
class=m>B</span>“</span><em>
class="said said-1" title="Bob">Hello</span></em>
class="said said-1" title="Bob">,”</span> said Bob.</p>
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from fanfold.archive.insights.findings import chapter_text, paragraph_starts

PALETTE_SIZE = 8  # colours in site.css (.said-0 … .said-7); later speakers share "said-other"

OPENERS = frozenset('“«"„')
CLOSERS = frozenset('”»"')

# As fanfold.formats.userhtml.to_plain_text reads stored HTML.
_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
_BR = re.compile(r"(?i)<br\s*/?>\Z")
_BLOCK_END = re.compile(r"(?i)</(?:p|div|h[1-6]|li|blockquote|pre|tr)>\Z")
_PRE = re.compile(r"(?i)<pre\b")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_ADDED = -1  # a character the text gains from markup (a line break), from nowhere in the HTML
_Adder = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class Speaker:
    """How one speaker's lines look: a palette slot, a name, and an initial for the marker."""

    slot: int | None  # None: beyond the palette, drawn as "said-other"
    name: str

    @property
    def css_class(self) -> str:
        return f"said-{self.slot}" if self.slot is not None else "said-other"

    @property
    def initials(self) -> str:
        """Up to two initials: "Mara Quill" is "MQ", "Ann" is "A".

        >>> Speaker(0, "Mara Quill").initials, Speaker(0, "ann").initials, Speaker(0, "").initials
        ('MQ', 'A', '?')
        """
        letters = [word[0].upper() for word in self.name.split() if word[:1].isalnum()]
        return "".join(letters[:2]) or "?"


ANN = Speaker(0, "Ann")  # for the examples
BOB = Speaker(1, "Bob")


@dataclass(frozen=True, slots=True)
class Traced:
    """A chapter's plain text, each character with the span of HTML it came from."""

    text: str
    starts: list[int]  # _ADDED for characters that markup adds
    ends: list[int]


def trace(body: str) -> Traced:
    """The plain text of stored HTML, traced character by character to the HTML.

    >>> traced = trace("<p>A &amp; B</p>")
    >>> traced.text, traced.starts[2], traced.ends[2]
    ('A & B', 5, 10)
    """
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def add(text: str, start: int, end: int) -> None:
        for char in text:
            chars.append(char)
            starts.append(start)
            ends.append(end)

    at = 0
    opens_pre = False  # a parser drops the line break that opens a <pre> (a <br> is one here)
    for tag in _TAG.finditer(body):
        _trace_text(body, at, tag.start(), add)
        opens_pre = opens_pre and at == tag.start()
        at = tag.end()
        if _BR.match(tag.group()):
            if not opens_pre:
                add("\n", _ADDED, _ADDED)
        elif _BLOCK_END.match(tag.group()):
            add("\n" if opens_pre else "\n\n", _ADDED, _ADDED)
        elif _PRE.match(tag.group()) and body.startswith("\n", at):
            at += 1
        opens_pre = bool(_PRE.match(tag.group()))
    _trace_text(body, at, len(body), add)
    return _as_plain_text(chars, starts, ends)


def _trace_text(body: str, start: int, end: int, add: _Adder) -> None:
    at = start
    for entity in _ENTITY.finditer(body, start, end):
        for i in range(at, entity.start()):
            add(body[i], i, i + 1)
        add(html.unescape(entity.group()), entity.start(), entity.end())
        at = entity.end()
    for i in range(at, end):
        add(body[i], i, i + 1)


def _as_plain_text(chars: list[str], starts: list[int], ends: list[int]) -> Traced:
    """What ``to_plain_text`` does last: three or more newlines become two; no edge whitespace."""
    kept: list[int] = []
    newlines = 0
    for i, char in enumerate(chars):
        newlines = newlines + 1 if char == "\n" else 0
        if newlines <= 2:
            kept.append(i)
    first = next((n for n, i in enumerate(kept) if not chars[i].isspace()), len(kept))
    last = next((n for n in range(len(kept) - 1, -1, -1) if not chars[kept[n]].isspace()), -1)
    kept = kept[first : last + 1]
    return Traced(
        text="".join(chars[i] for i in kept),
        starts=[starts[i] for i in kept],
        ends=[ends[i] for i in kept],
    )


def quote_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spoken parts of a quote, its marks included, without the narration between them.

    The engine's quote spans run from the first spoken word to the last.

    >>> text = "“Go,” he said. “Now.”"
    >>> [text[a:b] for a, b in quote_parts(text, 1, 20)]
    ['“Go,”', '“Now.”']
    >>> text = '"Go," he said, "now."'
    >>> [text[a:b] for a, b in quote_parts(text, 1, 20)]
    ['"Go,"', '"now."']
    """
    if start > 0 and text[start - 1] in OPENERS:
        start -= 1
    if end < len(text) and text[end] in CLOSERS:
        end += 1
    parts = []
    inside, begun = text[start] not in OPENERS, start
    for i in range(start, end):
        char = text[i]
        if not inside and char in OPENERS:
            inside, begun = True, i
        elif inside and char in CLOSERS and i != begun:
            parts.append((begun, i + 1))
            inside = False
    if inside and begun < end:
        parts.append((begun, end))
    return parts


def _html_runs(traced: Traced, start: int, end: int) -> list[tuple[int, int]]:
    """Where plain text [start, end) lies in the HTML: runs that no tag interrupts."""
    runs: list[list[int]] = []
    for i in range(start, end):
        if traced.starts[i] == _ADDED:
            continue
        if runs and runs[-1][1] == traced.starts[i]:
            runs[-1][1] = traced.ends[i]
        else:
            runs.append([traced.starts[i], traced.ends[i]])
    return [(a, b) for a, b in runs]


def colour_body(
    body: str,
    quotes: Sequence[Sequence[int]],
    speakers: Mapping[int, Speaker],
    *,
    text: str | None = None,
) -> str | None:
    """The body with each quote by a known speaker marked; None when the text does not line up.

    ``quotes`` are the stored ``[paragraph, start, end, speaker]`` of the
    chapter, read from this very text (the caller checks the digest);
    ``text`` is ``chapter_text(body)`` when the caller has it already.
    """
    traced = trace(body)
    text = chapter_text(body) if text is None else text
    if traced.text != text or any(len(quote) != 4 for quote in quotes):
        return None
    paragraphs = paragraph_starts(text)
    marks: list[tuple[int, int, str]] = []  # (where in the HTML, 0 close / 1 open, markup)
    reached = 0
    for paragraph, start, end, speaker in sorted(tuple(quote) for quote in quotes):
        if not 0 <= paragraph < len(paragraphs):
            return None
        limit = paragraphs[paragraph + 1] - 2 if paragraph + 1 < len(paragraphs) else len(text)
        begins = paragraphs[paragraph]
        if not 0 <= start < end <= limit - begins:
            return None
        if speaker not in speakers or begins + start < reached:
            continue  # unknown speaker, or nested in the quote before: left as it is
        reached = begins + end
        marks.extend(_quote_marks(traced, begins + start, begins + end, speakers[speaker]))
    return _insert(body, marks)


def _quote_marks(
    traced: Traced, start: int, end: int, speaker: Speaker
) -> list[tuple[int, int, str]]:
    name = html.escape(speaker.name)
    opening = f'<span class="said {speaker.css_class}" title="{name}">'
    marker = f'<span class="speaker-mark" aria-hidden="true">{html.escape(speaker.initials)}</span>'
    marks = []
    for a, b in quote_parts(traced.text, start, end):
        for run_start, run_end in _html_runs(traced, a, b):
            marks.append((run_start, 1, opening + marker))
            marks.append((run_end, 0, "</span>"))
            marker = ""
    return marks


def _insert(body: str, marks: list[tuple[int, int, str]]) -> str:
    pieces = []
    at = 0
    for where, _, markup in sorted(marks, key=lambda mark: (mark[0], mark[1])):
        pieces.append(body[at:where])
        pieces.append(markup)
        at = where
    pieces.append(body[at:])
    return "".join(pieces)
