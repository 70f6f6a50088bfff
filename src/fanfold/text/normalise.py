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

from fanfold.text.spans import Span

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
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
    blocks = _blocks(text)
    width = _wrap_width(text, blocks)
    result: list[Span] = []
    for block in blocks:
        if width and len(block) > 1 and _is_wrapped(text, block, width):
            result.append(Span(block[0].start, block[-1].end))
        else:
            result.extend(block)
    return tuple(_strip(text, span) for span in result)


def _blocks(text: str) -> list[list[Span]]:
    """Runs of non-blank lines."""
    blocks: list[list[Span]] = []
    current: list[Span] = []
    for line in lines(text):
        if line.of(text).strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _wrap_width(text: str, blocks: list[list[Span]]) -> int:
    """The width a hard-wrapped document wraps at, or 0 when it is not wrapped."""
    inner = sorted(line.length for block in blocks for line in block[:-1])
    if len(inner) < 3:
        return 0
    width = inner[int(len(inner) * 0.9)]
    return width if width >= _MIN_WRAP_WIDTH else 0


def _is_wrapped(text: str, block: list[Span], width: int) -> bool:
    return all(line.length >= width * 0.6 for line in block[:-1])


def _strip(text: str, span: Span) -> Span:
    chunk = span.of(text)
    start = span.start + (len(chunk) - len(chunk.lstrip()))
    end = span.end - (len(chunk) - len(chunk.rstrip()))
    return Span(start, max(start, end))
