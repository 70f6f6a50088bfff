"""Does the pipeline's time grow linearly with its input, even on hostile text?

For each kind of input, times ``analyse_chapter`` at 1x, 2x and 4x a base
size and prints the time ratios (about 2 and 4 means linear; a quadratic
stage shows 4 and 16). Ratios come from one run, each the median of three.

    .venv/bin/python -m bench.linearity
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from fanfold.text import analyse_chapter

BASE_CHARACTERS = 400_000

KINDS: dict[str, Callable[[int], str]] = {
    "dialogue": lambda n: ('"Wait," said Mark. "No." She left.\n\n' * n)[:n],
    "one line, no breaks": lambda n: ("Mark Sloan said nothing at all to Lexie " * n)[:n],
    "unbalanced quotes": lambda n: ('"open and never closed, he said\n\n' * n)[:n],
    "symbols": lambda n: ("*~-_ oOo xXx ~BSL~ \n" * n)[:n],
    "names only": lambda n: ("Anna Berg Holm Jonas Sloan Mark Lexie Grey " * n)[:n],
}


def seconds(text: str) -> float:
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        analyse_chapter(text)
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def main() -> None:
    print(f"{'input':22} {'1x s':>7} {'2x/1x':>6} {'4x/1x':>6}")
    for name, make in KINDS.items():
        base = seconds(make(BASE_CHARACTERS))
        double = seconds(make(2 * BASE_CHARACTERS))
        quadruple = seconds(make(4 * BASE_CHARACTERS))
        print(f"{name:22} {base:7.2f} {double / base:6.1f} {quadruple / base:6.1f}")


if __name__ == "__main__":
    main()
