"""Line-labelled fixture chapters: the engine's paratext and scene-break gold.

Fixture lines start with a label and a bar; blank lines have none::

    N| author's note      D| disclaimer      H| header (chapter title, POV label, byline)
    S| story              B| scene break line ("B|" alone marks a break made of blank lines)
    =| a separator between a note and the story (neither story nor a scene break)

``load_fixture`` strips the labels and returns the raw chapter as an author
would post it, with the gold label of every line. Tests and benchmarks
share it, so a fixture means the same thing to both.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fanfold.text.spans import Span

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "text" / "fixtures"
PARATEXT = FIXTURES / "paratext"
LABELS = {
    "N": "author_note",
    "D": "disclaimer",
    "H": "header",
    "S": "story",
    "B": "break",
    "=": "separator",
}


@dataclass(frozen=True, slots=True)
class GoldLine:
    span: Span  # the line in the raw text (empty for a blank-line break)
    label: str  # a value of LABELS


@dataclass(frozen=True, slots=True)
class Fixture:
    name: str
    text: str
    lines: tuple[GoldLine, ...]

    @property
    def breaks(self) -> tuple[Span, ...]:
        return tuple(line.span for line in self.lines if line.label == "break")


def load_fixture(path: Path) -> Fixture:
    raw: list[str] = []
    gold: list[GoldLine] = []
    offset = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        label, bar, content = line.partition("|")
        if bar and label in LABELS:
            content = content.removeprefix(" ")
            gold.append(GoldLine(Span(offset, offset + len(content)), LABELS[label]))
        elif line.strip():
            raise ValueError(f"{path.name}: unlabelled line {line[:40]!r}")
        else:
            content = ""
        raw.append(content)
        offset += len(content) + 1
    return Fixture(path.stem, "\n".join(raw) + "\n", tuple(gold))


def fixtures(split: str) -> list[Fixture]:
    """The fixtures of one split ("dev" to tune on, "heldout" to report only)."""
    return [load_fixture(path) for path in sorted((PARATEXT / split).glob("*.txt"))]


def predicted_labels(fixture: Fixture, segments: list[tuple[str, Span]]) -> list[str]:
    """The engine's kind for each gold line: the segment holding the line's start."""
    labels = []
    for line in fixture.lines:
        kind = next(
            (k for k, s in segments if s.start <= line.span.start < max(s.end, s.start + 1)), ""
        )
        labels.append(kind or "none")
    return labels


def break_hits(gold: tuple[Span, ...], found: tuple[Span, ...]) -> tuple[int, int, int]:
    """True positives, false positives and false negatives of scene breaks.

    A found break matches a gold one when the spans touch: a blank-line break's
    gold is one empty line inside the run the engine reports.
    """
    matched = {g for g in gold if any(f.start <= g.start <= f.end for f in found)}
    true_positives = len(matched)
    false_positives = sum(1 for f in found if not any(f.start <= g.start <= f.end for g in gold))
    return true_positives, false_positives, len(gold) - true_positives
