"""Quotation finding and speaker attribution on the PDNC dev novels.

For each novel: quotation detection precision and recall against the gold
parts (a part is found when a predicted part overlaps it), and speaker
accuracy over all gold quotations (a gold quotation with no overlapping
predicted quotation counts as wrong), overall and per type (explicit,
anaphoric, implicit). A speaker is right when the predicted character's name
or one of its aliases is one of the gold speaker's names (compared without
dots, case or extra spaces, so "Miss. Smith" is "Miss Smith").

Two modes: the engine finds the characters itself (default), or is given
the gold cast (``--known-cast``). TUNE and HELDOUT novels are printed apart:
only TUNE figures may steer the rules.

    .venv/bin/python -m bench.speakers [--known-cast] [--novels NAME ...] [--errors N]
"""

from __future__ import annotations

import argparse
import time
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.pdnc import HELDOUT, TUNE, GoldQuote, Novel, novels
from fanfold.text.attribution import Attribution, attribute_speakers
from fanfold.text.characters import Cast, find_characters
from fanfold.text.dialogue import find_quotes
from fanfold.text.spans import Span
from fanfold.text.words import count_words

TYPES = ("explicit", "anaphoric", "implicit")


@dataclass
class Score:
    found_parts: int = 0  # predicted parts overlapping a gold part
    predicted_parts: int = 0
    recalled_parts: int = 0  # gold parts overlapping a predicted part
    gold_parts: int = 0
    right: Counter[str] = field(default_factory=Counter)  # by type, and "all"
    total: Counter[str] = field(default_factory=Counter)
    methods: Counter[tuple[str, bool]] = field(default_factory=Counter)
    words: int = 0
    seconds: float = 0.0

    def add(self, other: Score) -> None:
        self.found_parts += other.found_parts
        self.predicted_parts += other.predicted_parts
        self.recalled_parts += other.recalled_parts
        self.gold_parts += other.gold_parts
        self.right.update(other.right)
        self.total.update(other.total)
        self.methods.update(other.methods)
        self.words += other.words
        self.seconds += other.seconds

    def row(self, name: str) -> str:
        precision = self.found_parts / max(self.predicted_parts, 1)
        recall = self.recalled_parts / max(self.gold_parts, 1)
        cells = [f"{self.right[t] / max(self.total[t], 1):10.3f}" for t in ("all", *TYPES)]
        speed = self.words / max(self.seconds, 1e-9)
        return (
            f"  {name:30} {precision:6.3f} {recall:6.3f} {''.join(cells)} "
            f"{self.total['all']:6d} {speed:10,.0f}"
        )


def header() -> str:
    return (
        f"  {'novel':30} {'qP':>6} {'qR':>6} {'speaker':>10}"
        + "".join(f"{t:>10}" for t in TYPES)
        + f" {'quotes':>6} {'words/s':>10}"
    )


def _key(name: str) -> str:
    return " ".join(name.replace(".", " ").replace("’", "'").lower().split())


def overlapping(span: Span, spans: Sequence[Span], starts: Sequence[int]) -> int | None:
    """Index of a span in sorted ``spans`` overlapping ``span``, if any."""
    index = bisect_left(starts, span.end)
    for candidate in range(index - 1, max(-1, index - 6), -1):
        if spans[candidate].overlaps(span):
            return candidate
    return None


def score_novel(novel: Novel, known: bool, errors: int) -> Score:
    text = novel.text
    started = time.perf_counter()
    cast = find_characters([text], known=novel.cast if known else None)
    quotes = find_quotes(text)
    attributions = attribute_speakers(text, quotes, cast)
    score = Score(words=count_words(text), seconds=time.perf_counter() - started)
    parts = sorted((part, a) for a in attributions for part in a.quote.parts)
    part_spans = [p for p, _ in parts]
    part_starts = [p.start for p in part_spans]
    gold_parts = sorted(part for quote in novel.quotes for part in quote.parts)
    gold_starts = [p.start for p in gold_parts]
    score.predicted_parts, score.gold_parts = len(parts), len(gold_parts)
    score.found_parts = sum(overlapping(p, gold_parts, gold_starts) is not None for p in part_spans)
    score.recalled_parts = sum(
        overlapping(p, part_spans, part_starts) is not None for p in gold_parts
    )
    shown = 0
    for gold in novel.quotes:
        attribution = _match(gold, parts, part_starts)
        right = attribution is not None and _names_speaker(novel, cast, attribution, gold)
        for kind in ("all", gold.type):
            score.total[kind] += 1
            score.right[kind] += right
        if attribution is not None:
            score.methods[(attribution.method, right)] += 1
        if not right and shown < errors:
            shown += 1
            _show_error(novel, cast, gold, attribution)
    return score


def _match(
    gold: GoldQuote, parts: list[tuple[Span, Attribution]], starts: list[int]
) -> Attribution | None:
    for part in gold.parts:
        end = bisect_left(starts, part.end)
        for candidate in range(end - 1, max(-1, end - 6), -1):
            if parts[candidate][0].overlaps(part):
                return parts[candidate][1]
    return None


def _names_speaker(novel: Novel, cast: Cast, attribution: Attribution, gold: GoldQuote) -> bool:
    if attribution.speaker is None:
        return False
    character = cast.characters[attribution.speaker]
    predicted = {_key(name) for name in (character.name, *character.aliases)}
    return bool(predicted & {_key(name) for name in novel.names_of(gold.speaker)})


def _show_error(novel: Novel, cast: Cast, gold: GoldQuote, found: Attribution | None) -> None:
    who = "-" if found is None or found.speaker is None else cast.characters[found.speaker].name
    method = "missed" if found is None else found.method
    start = max(0, gold.span.start - 150)
    context = novel.text[start : gold.span.end + 80].replace("\n", " ")
    print(f"    [{gold.type}] gold {gold.speaker!r} got {who!r} by {method}: ...{context}...")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--known-cast", action="store_true", help="give the engine the gold cast")
    parser.add_argument("--novels", nargs="*", help="only these novels")
    parser.add_argument("--errors", type=int, default=0, help="print N wrong quotations a novel")
    parser.add_argument("--methods", action="store_true", help="accuracy per sieve rule")
    args = parser.parse_args(argv)
    mode = "gold cast" if args.known_cast else "engine-found cast"
    print(f"Speaker attribution on PDNC dev ({mode})")
    for split, names in (("TUNE", TUNE), ("HELDOUT", HELDOUT)):
        chosen = tuple(n for n in names if not args.novels or n in args.novels)
        if not chosen:
            continue
        print(f"{split}\n{header()}")
        total = Score()
        for novel in novels(chosen):
            score = score_novel(novel, args.known_cast, args.errors)
            print(score.row(novel.name))
            total.add(score)
        print(total.row(f"{split} (all quotes pooled)"))
        if args.methods:
            for method in sorted({m for m, _ in total.methods}):
                right, wrong = total.methods[(method, True)], total.methods[(method, False)]
                print(f"      {method:24} {right / max(right + wrong, 1):.3f} of {right + wrong}")


if __name__ == "__main__":
    main()
