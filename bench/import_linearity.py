"""Does a whole import grow linearly with the work's chapters?

Imports works of 25, 100 and 400 chapter files (about 1,500 words each,
``bench.prose``, each with an author's note above and below and a "Chapter
N: Title" header, handed over in shuffled order) into a throwaway SQLite
archive, as ``fanfold import`` and the upload preview do: read the files
(``parse_files``: the engine orders and segments them), suggest tags
(``suggest_tags``: the engine analyses them) and create the work
(``import_work``: rows, tags and the search index, one transaction).

For each size it prints the median seconds of the whole import (wall
clock, and this process's CPU time) and of its three steps (CPU), the
whole import's CPU milliseconds per chapter and their ratio to the
25-chapter row (target: flat, within 1.25x), and the full-text characters
written during one import (counted by wrapping ``fulltext.index_documents``
in this benchmark only) against the size of the work's search document
(target: equal, the work indexed once). Ratios are of CPU time, as in
``bench.linearity``: the machine is shared, and other work on it would
show up in wall-clock time as growth.

    .venv/bin/python -m bench.import_linearity [--runs 3] [--sizes 25,100,400]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from bench.prose import Prose

if TYPE_CHECKING:  # the archive's modules need Django set up first
    from fanfold.archive.search.fulltext import Document

WORDS_PER_CHAPTER = 1_500
TARGET_RATIO = 1.25
OPENING_NOTES = (
    "A/N: Thank you for all the reviews on the last chapter!",
    "A/N: Sorry for the wait. Exams.",
    "Disclaimer: I don't own any of this.",
)
CLOSING_NOTE = "A/N: Please review! The next chapter is already half written."

Files = list[tuple[str, bytes]]


def chapter_files(count: int) -> Files:
    """``count`` chapter files of our own prose, shuffled; the first 25 are the same at any size."""
    prose = Prose(seed=7)
    files = [
        (
            f"chapter_{number:03d}.txt",
            (
                f"{OPENING_NOTES[number % len(OPENING_NOTES)]}\n\n"
                f"Chapter {number}: {prose.title()}\n\n"
                f"{prose.chapter(words=WORDS_PER_CHAPTER)}\n\n{CLOSING_NOTE}\n"
            ).encode(),
        )
        for number in range(1, count + 1)
    ]
    random.Random(count).shuffle(files)
    return files


def archive_owner() -> Any:
    """The account of a migrated throwaway SQLite archive."""
    os.environ["FANFOLD_DATA_DIR"] = tempfile.mkdtemp(prefix="fanfold-bench-imports-")
    os.environ.setdefault("FANFOLD_SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from fanfold.archive.people.models import User

    return User.objects.create_user(username="bench", password=None)


@dataclass
class StepTimes:
    """One whole import: CPU seconds step by step, and its wall-clock seconds."""

    read: float
    suggest: float
    save: float
    wall: float

    @property
    def whole(self) -> float:
        return self.read + self.suggest + self.save


def timed_import(files: Files, owner: Any) -> StepTimes:
    from fanfold.archive.works.importing import import_work, parse_files, suggest_tags

    wall = time.perf_counter()
    start = time.process_time()
    parsed = parse_files(files)
    read = time.process_time()
    suggest_tags(parsed)
    suggested = time.process_time()
    import_work(parsed=parsed, owner=owner, post=True)
    saved = time.process_time()
    return StepTimes(read - start, suggested - read, saved - suggested, time.perf_counter() - wall)


@contextmanager
def counted_fulltext() -> Iterator[list[int]]:
    """While inside, each search document written is counted: its characters, in a list."""
    from fanfold.archive.search import fulltext

    written: list[int] = []
    original = fulltext.index_documents

    def counting(documents: Iterable[Document]) -> None:
        kept = list(documents)
        written.extend(document_characters(document) for document in kept)
        original(kept)

    fulltext.index_documents = counting
    try:
        yield written
    finally:
        fulltext.index_documents = original


def document_characters(document: Document) -> int:
    """The characters of a search document's text fields (title, author, ..., body)."""
    values = (getattr(document, field.name) for field in fields(document))
    return sum(len(value) for value in values if isinstance(value, str))


def fulltext_written(files: Files, owner: Any) -> tuple[int, int]:
    """Characters written to the full-text index by one import, and the work's document size."""
    from fanfold.archive.works.importing import import_work, parse_files, suggest_tags

    parsed = parse_files(files)
    suggest_tags(parsed)
    with counted_fulltext() as written:
        import_work(parsed=parsed, owner=owner, post=True)
    return sum(written), (written[-1] if written else 0)


def median_times(rounds: list[StepTimes]) -> StepTimes:
    return StepTimes(
        read=statistics.median(r.read for r in rounds),
        suggest=statistics.median(r.suggest for r in rounds),
        save=statistics.median(r.save for r in rounds),
        wall=statistics.median(r.wall for r in rounds),
    )


def measure(sizes: list[int], runs: int, owner: Any) -> dict[int, list[StepTimes]]:
    """Each size once per round, rounds in turn, so drift on the machine hits every size alike."""
    works = {size: chapter_files(size) for size in sizes}
    timed_import(works[sizes[0]], owner)  # lexicons and first queries, outside the timings
    rounds: dict[int, list[StepTimes]] = {size: [] for size in sizes}
    for _ in range(runs):
        for size in sizes:
            rounds[size].append(timed_import(works[size], owner))
    return rounds


def report(sizes: list[int], runs: int, owner: Any) -> None:
    rounds = measure(sizes, runs, owner)
    base: float | None = None
    print(
        f"{'chapters':>8} {'words':>8} {'wall s':>7} {'CPU s':>6} {'read':>5} {'suggest':>7}"
        f" {'save':>5} {'ms/chapter':>10} {'ratio':>5} {'FT written':>10} {'document':>10} {'x':>4}"
    )
    for size in sizes:
        median = median_times(rounds[size])
        whole = statistics.median(r.whole for r in rounds[size])
        per_chapter = whole / size
        base = base or per_chapter
        files = chapter_files(size)
        written, document = fulltext_written(files, owner)
        words = sum(len(data.split()) for _, data in files)
        print(
            f"{size:>8} {words:>8,} {median.wall:>7.2f} {whole:>6.2f} {median.read:>5.2f}"
            f" {median.suggest:>7.2f} {median.save:>5.2f} {1000 * per_chapter:>10.1f}"
            f" {per_chapter / base:>5.2f} {written:>10,} {document:>10,}"
            f" {written / max(document, 1):>4.2f}"
        )
    print(
        f"target: CPU ms/chapter within {TARGET_RATIO}x of the first row; full-text characters"
        " written equal to the work's search document (x 1.00)"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="25,100,400", help="chapter counts, comma-separated")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"$ .venv/bin/python -m bench.import_linearity --runs {args.runs} --sizes {args.sizes}")
    print(f"(medians of {args.runs} runs; ~{WORDS_PER_CHAPTER:,}-word chapters; SQLite)")
    report(sizes, args.runs, archive_owner())


if __name__ == "__main__":
    main()
