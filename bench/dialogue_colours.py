"""How long colouring a chapter's dialogue takes, and whether it grows linearly.

The reading page colours each chapter it shows from the stored quotes
(``insights.dialogue.colour_body``: trace the HTML to its plain text, then
mark each quote). For a chapter of dialogue with emphasis and line breaks at
1x, 2x and 4x a base size, prints the CPU time (fastest of three), the
characters per second, and the time ratios against 1x (about 2 and 4 means
linear). The quotes come from the engine, read once per size.

    PYTHONPATH=src FANFOLD_SECRET_KEY=x .venv/bin/python -m bench.dialogue_colours
"""

from __future__ import annotations

import time

import django

BASE_CHARACTERS = 100_000


def chapter(size: int) -> str:
    """Sanitised-looking HTML: paragraphs of dialogue between two speakers, with emphasis."""
    unit = (
        "<p>“Wait,” said Mara Quill. “The <em>tide</em> is turning.”</p>\n"
        "<p>“Let it,” Tobin Reyes said.<br>He did not look up.</p>\n"
    )
    return unit * (size // len(unit) + 1)


def main() -> None:
    django.setup()
    from fanfold.archive.insights.dialogue import Speaker, colour_body
    from fanfold.archive.insights.findings import read_work

    base = None
    print(f"{'characters':>12} {'seconds':>9} {'chars/s':>12} {'ratio':>6}")
    for factor in (1, 2, 4):
        body = chapter(BASE_CHARACTERS * factor)
        found = read_work([(1, body)])
        speakers = {n: Speaker(n, person["name"]) for n, person in enumerate(found.cast)}
        quotes = found.chapters[0].quotes
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            coloured = colour_body(body, quotes, speakers)
            best = min(best, time.process_time() - started)
        assert coloured is not None
        base = base or best
        print(f"{len(body):>12,} {best:>9.3f} {len(body) / best:>12,.0f} {best / base:>6.2f}")


if __name__ == "__main__":
    main()
