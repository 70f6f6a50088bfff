"""Stage ``normalise``: bytes to text, and text to paragraphs, without rewriting it.

Every later stage reports offsets into the text exactly as stored, so this
stage never edits the string: it decodes bytes (``decode``) and finds the
paragraph spans (``paragraphs``). Smart quotes, line endings and odd
spacing are kept; stages that care look through them.

Paragraphs come in two shapes in the wild:

- one line per paragraph, with or without blank lines between (fan fiction
  pasted from a word processor, as in the seeds);
- hard-wrapped blocks separated by blank lines (Project Gutenberg texts).

A blank-line block is one wrapped paragraph when every line but its last is
long (close to the document's wrap width); otherwise each line is its own
paragraph, which keeps short verse lines, letters and chat logs apart.

>>> text = "First line.\\nSecond line.\\n\\nThird."
>>> [s.of(text) for s in paragraphs(text)]
['First line.', 'Second line.', 'Third.']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from fanfold.text.spans import Span

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_LINE_CONTENT = re.compile(r"[^\r\n]+")  # a line without its terminator; empty lines skipped
_MIN_DETECTABLE = 64  # bytes; below this, detection guesses wildly
_MIN_WRAP_WIDTH = 40  # a "wrapped" document whose lines are shorter is not wrapped prose


class NotTextError(ValueError):
    """Raised when a file's bytes are not text in any encoding we can detect."""


def decode(data: bytes, *, name: str = "<bytes>") -> str:
    """Decode a file's bytes: UTF-8 (with or without BOM) first, then detection.

    Short inputs are too little evidence for detection; they fall back to
    Windows-1252, the encoding of most non-UTF-8 fan fiction files.

    >>> decode("“Don’t,” she said at the café.".encode("cp1252"))
    '“Don’t,” she said at the café.'
    """
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotTextError(f"{name}: not a text file (it contains NUL bytes)")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # a UTF-16 byte order mark says it all
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise NotTextError(f"{name}: not a text file (broken UTF-16)") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = None if len(data) < _MIN_DETECTABLE else from_bytes(data).best()
    if best is None or best.encoding.startswith(("utf_16", "utf_32")):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            if best is None:
                raise NotTextError(f"{name}: not a text file (no text encoding fits)") from None
    return str(best)


def lines(text: str) -> Iterator[Span]:
    """Spans of each line's content, line terminators excluded."""
    for match in _LINE.finditer(text):
        if match.start() == len(text) and match.end() == match.start():
            break
        content = match.group().rstrip("\r\n")
        yield Span(match.start(), match.start() + len(content))


def paragraphs(text: str) -> tuple[Span, ...]:
    """Spans of the paragraphs of ``text``, surrounding whitespace excluded."""
    return _whole_text_paragraphs(text)


def paragraphs_within(text: str, start: int, end: int) -> tuple[Span, ...]:
    """The paragraphs of ``text[start:end]`` read as a text of its own, as offsets into ``text``.

    >>> text = "Note.\\n\\nStory starts.\\nGoes on."
    >>> [s.of(text) for s in paragraphs_within(text, 7, len(text))]
    ['Story starts.', 'Goes on.']
    """
    return _paragraphs(text, start, end)


# Several stages ask for the paragraphs of the same chapter text; reading them
# once saves a pass per stage. A few entries cover one work's stages in turn.
@lru_cache(maxsize=4)
def _whole_text_paragraphs(text: str) -> tuple[Span, ...]:
    return _paragraphs(text, 0, len(text))


def _paragraphs(text: str, start: int, end: int) -> tuple[Span, ...]:
    blocks = _blocks(text, start, end)
    width = _wrap_width(blocks)
    result: list[Span] = []
    for block in blocks:
        if width and len(block) > 1 and _is_wrapped(block, width):
            result.append(_stripped(text, block[0], block[-1]))
        else:
            result.extend(_stripped(text, line, line) for line in block)
    return tuple(result)


# Lines are (start, end) pairs here, not Spans: a novel has tens of thousands.
_Line = tuple[int, int]


def _blocks(text: str, start: int, end: int) -> list[list[_Line]]:
    """Runs of non-blank lines in ``text[start:end]`` (line terminators excluded)."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for match in _LINE_CONTENT.finditer(text, start, end):
        line = match.span()
        if match.group().isspace():
            if current:
                blocks.append(current)
                current = []
            continue
        if current and not _next_line(text, current[-1][1], line[0]):
            blocks.append(current)
            current = []
        current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _next_line(text: str, previous_end: int, start: int) -> bool:
    """Whether only one line terminator lies between two lines (no empty line between)."""
    gap = start - previous_end
    return gap == 1 or (gap == 2 and text[previous_end] == "\r" and text[previous_end + 1] == "\n")


def _wrap_width(blocks: list[list[_Line]]) -> int:
    """The width a hard-wrapped document wraps at, or 0 when it is not wrapped."""
    inner = sorted(end - start for block in blocks for start, end in block[:-1])
    if len(inner) < 3:
        return 0
    width = inner[int(len(inner) * 0.9)]
    return width if width >= _MIN_WRAP_WIDTH else 0


def _is_wrapped(block: list[_Line], width: int) -> bool:
    return all(end - start >= width * 0.6 for start, end in block[:-1])


def _stripped(text: str, first: _Line, last: _Line) -> Span:
    """From ``first``'s start to ``last``'s end, without the whitespace at either end.

    Both lines hold more than whitespace, so stripping never leaves them.
    """
    head = text[first[0] : first[1]]
    tail = text[last[0] : last[1]]
    start = first[0] + (len(head) - len(head.lstrip()))
    end = last[1] - (len(tail) - len(tail.rstrip()))
    return Span(start, end)
