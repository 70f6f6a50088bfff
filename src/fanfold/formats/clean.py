"""Clean text values: no control characters, and one line where a value is a name.

Every text value the archive stores passes through one of these on its way
in, whichever way it came (a form, an import, the command line), because
the archive's services call them:

- ``multiline`` for text with paragraphs (chapter bodies, notes,
  summaries): line endings, form feeds and vertical tabs become ``\\n``;
  every other control character but tab, every lone surrogate and every
  Unicode noncharacter is removed. None of them means
  anything in a story, and XML forbids most of them, so an EPUB holding
  one would not open.
- ``single_line`` for titles and names: the same characters go, every line
  break, tab or other white space becomes one space, the ends are trimmed,
  and the text is put in Unicode's composed form (NFC), so "é" typed two
  ways is one tag.

Bidirectional marks and zero-width joiners are format characters, not
controls: writers of Arabic, Hebrew, Persian and emoji need them, so they
stay.

>>> single_line("Line one\\nline two")
'Line one line two'
>>> single_line("  A title\\x0cwith a form feed ")
'A title with a form feed'
>>> multiline("One\\r\\nTwo\\x00 and\\tthree\\ufffe\\x0cFour")
'One\\nTwo and\\tthree\\nFour'
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls but tab, newline and carriage return; DEL and the C1 controls;
# lone surrogates (only reachable from str, never from valid UTF-8); and the
# noncharacters U+FDD0..U+FDEF and U+xFFFE/U+xFFFF of every plane.
_NONCHARACTERS = "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17)
)
_UNWANTED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef" + _NONCHARACTERS + "]"
)
# Breaks written as controls: CR LF, CR, vertical tab, form feed, NEL.
_BREAKS = re.compile("\r\n?|[\x0b\x0c\x85]")


def multiline(text: str) -> str:
    """``text`` with ``\\n`` line breaks and no control characters but tab and newline."""
    if _UNWANTED.search(text) is None and "\r" not in text:  # the usual case: no copy
        return text
    return _UNWANTED.sub("", _BREAKS.sub("\n", text))


def single_line(text: str) -> str:
    """``text`` as one trimmed line: controls and runs of white space become one space."""
    spaced = _UNWANTED.sub(" ", text)
    return unicodedata.normalize("NFC", " ".join(spaced.split()))
