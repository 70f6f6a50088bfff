"""Import throughput: a 100,000-word EPUB read, analysed and saved as a work.

Writes a 25-chapter EPUB of generated prose (``bench.prose``) with notes
and tags, then times, as medians over several runs:

- read: ``read_bytes`` (unzip, parse, sanitise) alone;
- read + analyse: with the reading engine's tag suggestions, as the import
  preview shows them;
- whole import: read, analyse and create the work, its chapters and tags
  in a throwaway SQLite archive (one transaction), as ``fanfold import``
  and the preview's confirmation do.

The target is under 2 seconds for the whole import.

    .venv/bin/python -m bench.imports [--runs 5] [--words 100000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable

from bench.prose import Prose
from fanfold.formats.model import ParsedChapter, ParsedWork
from fanfold.formats.readers import read_bytes
from fanfold.formats.writers import write_epub

CHAPTERS = 25
TARGET_SECONDS = 2.0


def book(words: int) -> bytes:
    prose = Prose(seed=7)
    chapters = tuple(
        ParsedChapter(
            title=prose.title(),
            notes="<p>Thank you for reading! This one took a while.</p>",
            body="".join(
                f"<p>{paragraph}</p>\n"
                for paragraph in prose.chapter(words=words // CHAPTERS).split("\n\n")
            ),
        )
        for _ in range(CHAPTERS)
    )
    return write_epub(
        ParsedWork(
            title="A Long Winter",
            creators=("bench",),
            summary="<p>Six people, one town, one winter.</p>",
            rating="Teen And Up Audiences",
            fandoms=("Original Work",),
            freeforms=("Slow Burn", "Winter"),
            language="en",
            chapters=chapters,
        )
    )


def median_seconds(step: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _archive() -> Callable[[bytes], object]:
    """A migrated throwaway SQLite archive, and the import as the CLI runs it."""
    os.environ["FANFOLD_DATA_DIR"] = tempfile.mkdtemp(prefix="fanfold-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from fanfold.archive.people.models import User
    from fanfold.archive.works.importing import import_work, suggest_tags

    owner = User.objects.create_user(username="bench", password=None)

    def whole_import(data: bytes) -> object:
        parsed = read_bytes(data, name="winter.epub")
        suggest_tags(parsed)
        return import_work(parsed=parsed, owner=owner, post=True)

    return whole_import


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--words", type=int, default=100_000)
    args = parser.parse_args()
    data = book(args.words)
    parsed = read_bytes(data, name="winter.epub")
    words = parsed.word_count
    whole_import = _archive()
    from fanfold.archive.works.importing import suggest_tags

    steps: dict[str, Callable[[], object]] = {
        "read": lambda: read_bytes(data, name="winter.epub"),
        "read + analyse": lambda: suggest_tags(read_bytes(data, name="winter.epub")),
        "whole import (SQLite)": lambda: whole_import(data),
    }
    print(f"EPUB of {len(parsed.chapters)} chapters, {words:,} words, {len(data) / 1e6:.1f} MB")
    print(f"  {'step':24} {'median s':>9} {'words/s':>10}")
    for name, step in steps.items():
        seconds = median_seconds(step, args.runs)
        verdict = ""
        if name.startswith("whole"):
            verdict = "  (meets < 2 s)" if seconds < TARGET_SECONDS else "  (misses < 2 s)"
        print(f"  {name:24} {seconds:9.2f} {words / seconds:10,.0f}{verdict}")


if __name__ == "__main__":
    main()
