"""Loading the PDNC dev novels from ../shared/eval/pdnc-dev (never committed).

Six novels are for tuning; four are held out and only ever reported, so the
figures on them say how the engine does on text it was not shaped around.
``FANFOLD_SHARED`` overrides where ../shared lives.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from fanfold.text.spans import Span

TUNE = (
    "Emma",
    "ARoomWithAView",
    "HardTimes",
    "NightAndDay",
    "TheSignOfTheFour",
    "AnneOfGreenGables",
)
HELDOUT = ("AlicesAdventuresInWonderland", "DaisyMiller", "TheAwakening", "TheInvisibleMan")


def shared_dir() -> Path:
    default = Path(__file__).resolve().parents[1] / ".." / "shared"
    return Path(os.environ.get("FANFOLD_SHARED", default)).resolve()


def pdnc_dir() -> Path:
    return shared_dir() / "eval" / "pdnc-dev"


@dataclass(frozen=True, slots=True)
class GoldQuote:
    """One annotated quotation: its parts (marks excluded), speaker and type."""

    span: Span
    parts: tuple[Span, ...]
    speaker: str
    type: str  # explicit, anaphoric, implicit or "unknown"


@dataclass(frozen=True)
class Novel:
    name: str
    path: Path

    @cached_property
    def text(self) -> str:
        return (self.path / f"{self.name}.txt").read_text(encoding="utf-8")

    @cached_property
    def cast(self) -> dict[str, list[str]]:
        """Canonical name -> aliases, as PDNC gives them."""
        data: dict[str, list[str]] = json.loads(
            (self.path / f"{self.name}.characters.json").read_text()
        )
        return data

    @cached_property
    def quotes(self) -> tuple[GoldQuote, ...]:
        lines = (self.path / f"{self.name}.quotes.jsonl").read_text(encoding="utf-8").splitlines()
        return tuple(_gold_quote(json.loads(line)) for line in lines if line.strip())

    def names_of(self, speaker: str) -> set[str]:
        """Every name that counts as ``speaker`` when scoring (canonical and aliases)."""
        return {speaker, *self.cast.get(speaker, [])}


def _gold_quote(row: dict[str, object]) -> GoldQuote:
    spans = row["spans"]
    assert isinstance(spans, list)
    parts = tuple(Span(int(s), int(e)) for s, e in spans)
    return GoldQuote(
        # A few rows list parts out of text order; the quote spans all of them.
        span=Span(min(p.start for p in parts), max(p.end for p in parts)),
        parts=parts,
        speaker=str(row["speaker"]),
        type=str(row["type"] or "unknown"),
    )


def novels(names: tuple[str, ...] = TUNE + HELDOUT) -> Iterator[Novel]:
    """The named novels that are present (none when ../shared is missing)."""
    for name in names:
        if (pdnc_dir() / f"{name}.txt").exists():
            yield Novel(name, pdnc_dir())
