"""The posting forms' look for pasted notes: what it adds to one submit, and how it grows.

Every posting form runs ``works.pasted_notes.offer_for`` on the submitted
chapter text inside the request, so its cost is added to the time an author
waits. This builds chapters of our own prose (notes and a disclaimer on top,
an end note below) at 1x, 2x, 4x, 8x and 16x a base length, as plain text
and as the sanitised HTML an edit form holds, and times the look (the
median of several runs). The 16x row is some 42,000 words, longer than
most chapters (the archive allows 510,000 characters). Linear cost shows
ratios 2, 4, 8, 16.

    .venv/bin/python -m bench.pasted_notes [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

SCALES = (1, 2, 4, 8, 16)
BASE_PARAGRAPHS = 200
TOP = (
    "A/N: Thank you for every kind word on the last chapter!\n\n"
    "Disclaimer: I don't own the canal or its boats; they belong to the city.\n\n"
)
END = "\n\nA/N: The next chapter is nearly done, let me know what you think!"
PARAGRAPHS = (
    "The barge slid under the low bridge and Marisol ducked without looking up.",
    '"Mind the rope," said the lock keeper, who said it to everyone.',
    "Gulls argued over the warehouse roofs while the water settled behind them.",
    "By the third lock the light had gone amber and the town had gone quiet.",
)


def chapter(scale: int) -> str:
    count = BASE_PARAGRAPHS * scale
    story = "\n\n".join(PARAGRAPHS[i % len(PARAGRAPHS)] for i in range(count))
    return TOP + story + END


def timed(step: object, text: str, runs: int) -> float:
    assert callable(step)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        found = step(text)
        times.append(time.perf_counter() - start)
        assert found is not None, "the notes were not found"
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    os.environ.setdefault("FANFOLD_DATA_DIR", tempfile.mkdtemp(prefix="fanfold-bench-notes-"))
    os.environ.setdefault("FANFOLD_SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
    import django

    django.setup()
    from fanfold.archive.works.pasted_notes import offer_for
    from fanfold.formats.userhtml import to_safe_html

    print(
        f"{'form':6} {'scale':>5} {'chars':>9} {'words':>8} {'ms':>8} {'ratio':>6} {'words/s':>10}"
    )
    for form in ("plain", "html"):
        first = 0.0
        for scale in SCALES:
            text = chapter(scale)
            words = len(text.split())
            body = text if form == "plain" else to_safe_html(text)
            seconds = timed(offer_for, body, runs)
            first = first or seconds
            print(
                f"{form:6} {scale:>5} {len(body):>9,} {words:>8,} {seconds * 1000:>8.1f}"
                f" {seconds / first:>6.1f} {words / seconds:>10,.0f}"
            )
    print("command: .venv/bin/python -m bench.pasted_notes --runs", runs)


if __name__ == "__main__":
    main()
