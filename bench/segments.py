"""Paratext vs story, per line, and scene breaks, on the fixture chapters.

Prints, for the dev fixtures (tuned on) and the held-out ones (never tuned
on) separately: per-line F1 of paratext (notes, disclaimers, headers)
against story, per-line accuracy of the exact kind, scene-break F1, and the
lines that went wrong; then the stage's speed on the PDNC novels and how
much of them it calls story. Targets: line F1 >= 0.97, break F1 >= 0.95.

    .venv/bin/python -m bench.segments [--show-errors]
"""

from __future__ import annotations

import argparse
import time

from bench.fixtures import Fixture, break_hits, fixtures, predicted_labels
from bench.pdnc import novels
from fanfold.text.segment import segment_chapter
from fanfold.text.words import count_words

PARATEXT = {"author_note", "disclaimer", "header"}


def f1(true_positives: int, false_positives: int, false_negatives: int) -> float:
    if true_positives == 0:
        return 1.0 if false_positives == false_negatives == 0 else 0.0
    precision = true_positives / (true_positives + false_positives)
    recall = true_positives / (true_positives + false_negatives)
    return 2 * precision * recall / (precision + recall)


def score(split: str, show_errors: bool) -> None:
    line_counts = [0, 0, 0]  # paratext tp, fp, fn
    exact = total = 0
    break_counts = [0, 0, 0]
    cases = fixtures(split)
    for fixture in cases:
        errors = _score_fixture(fixture, line_counts, break_counts)
        exact += errors[0]
        total += errors[1]
        if show_errors:
            for message in errors[2]:
                print(f"    {fixture.name}: {message}")
    print(
        f"  {split:8} {len(cases):3} chapters  paratext line F1 {f1(*line_counts):.3f}"
        f"  exact kind {exact / max(total, 1):.3f}  scene-break F1 {f1(*break_counts):.3f}"
    )


def _score_fixture(
    fixture: Fixture, line_counts: list[int], break_counts: list[int]
) -> tuple[int, int, list[str]]:
    segmentation = segment_chapter(fixture.text)
    predicted = predicted_labels(fixture, [(s.kind, s.span) for s in segmentation.segments])
    exact = total = 0
    messages = []
    for line, guess in zip(fixture.lines, predicted, strict=True):
        if line.label in {"separator"} or (line.label == "break" and not line.span.length):
            continue
        gold = "story" if line.label == "break" else line.label
        total += 1
        exact += guess == gold
        if gold != guess:
            messages.append(f"{gold} read as {guess}: {line.span.of(fixture.text)[:60]!r}")
        gold_para, guess_para = gold in PARATEXT, guess in PARATEXT
        line_counts[0] += gold_para and guess_para
        line_counts[1] += guess_para and not gold_para
        line_counts[2] += gold_para and not guess_para
    tp, fp, fn = break_hits(fixture.breaks, segmentation.scene_breaks)
    for index, value in enumerate((tp, fp, fn)):
        break_counts[index] += value
    if fp or fn:
        messages.append(f"scene breaks: {fp} extra, {fn} missed")
    return exact, total, messages


def speed() -> None:
    words = story_chars = chars = 0
    seconds = 0.0
    for novel in novels():
        start = time.perf_counter()
        segmentation = segment_chapter(novel.text)
        seconds += time.perf_counter() - start
        words += count_words(novel.text)
        chars += len(novel.text)
        story_chars += sum(span.length for span in segmentation.story_spans())
    if seconds:
        print(
            f"  PDNC dev: {words:,} words, {words / seconds:,.0f} words/s,"
            f" {story_chars / chars:.3f} of characters read as story"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    for split in ("dev", "heldout"):
        score(split, args.show_errors)
    speed()


if __name__ == "__main__":
    main()
