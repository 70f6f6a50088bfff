"""Case-insensitive patterns that match at case-sensitive speed.

``re.IGNORECASE`` makes an alternation of words several times slower:
every character goes through case folding and the engine cannot skip
ahead to a possible first letter. Matching a lower-cased pattern against
the lower-cased text finds the same matches at the same offsets, so the
stages get the text as written back by slicing. Three letters lower-case
to something IGNORECASE does not equate them with (İ, ı, ſ); text holding
one of them is matched by the IGNORECASE pattern itself, so the answer
never differs.

>>> talk = Caseless(r"\\bthis\\s+chapter\\b|R&R")
>>> talk.findall("THIS Chapter, r&r and this chapter")
['THIS Chapter', 'r&r', 'this chapter']
>>> talk.search("Read This  Chapter!"), talk.search("no talk here")
('This  Chapter', None)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

# Letters whose str.lower() is not the letter IGNORECASE matches them with.
_LOWERING_DIFFERS = re.compile("[\u0130\u0131\u017f]")
_AS_IGNORECASE = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
_UPPER_ESCAPE = re.compile(r"\\[A-Z]")


class Caseless:
    """A pattern matched without regard to case; it must have no capturing groups."""

    def __init__(self, source: str) -> None:
        if _UPPER_ESCAPE.search(source):
            # Lower-casing would turn \S into \s, \B into \b: say so instead.
            raise ValueError(f"a caseless pattern cannot hold an upper-case escape: {source!r}")
        self.exact = re.compile(source, re.IGNORECASE)
        if self.exact.groups:
            raise ValueError(f"a caseless pattern returns whole matches, not groups: {source!r}")
        self._lowered = re.compile(source.lower())

    def findall(self, text: str, limit: int | None = None) -> list[str]:
        """The matches as written in ``text`` (the first ``limit`` of them)."""
        return [text[start:end] for start, end in islice(self._spans(text), limit)]

    def search(self, text: str) -> str | None:
        """The first match as written in ``text``, or None."""
        first = next(self._spans(text), None)
        return None if first is None else text[first[0] : first[1]]

    def _spans(self, text: str) -> Iterator[tuple[int, int]]:
        if _LOWERING_DIFFERS.search(text):
            return (match.span() for match in self.exact.finditer(text))
        return (match.span() for match in self._lowered.finditer(text.lower()))


def folded(text: str) -> str:
    """``text`` in lower case as IGNORECASE compares letters, each at its own offset.

    >>> folded("KİSS the ſister")
    'kiss the sister'
    """
    if _LOWERING_DIFFERS.search(text):
        text = text.translate(_AS_IGNORECASE)  # İ would lower-case to two characters
    return text.lower()
