"""Character spans into an original text: the currency every stage trades in.

Stages never copy or rewrite the text they analyse. They pass ``Span`` values
that point into the string they were given, so any decision can be shown
in place (the CLI colours the original text, the archive stores offsets).

>>> text = 'Mark said, "Hi."'
>>> quote = Span(12, 15)
>>> quote.of(text)
'Hi.'
>>> quote.length
3
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of Python string offsets."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    @property
    def length(self) -> int:
        return self.end - self.start

    def of(self, text: str) -> str:
        """The slice of ``text`` this span covers."""
        return text[self.start : self.end]

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end
