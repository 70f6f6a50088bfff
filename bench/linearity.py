"""Does the pipeline's time grow linearly with its input, even on hostile text?

For each kind of input, times ``analyse_chapter`` at 1x, 2x and 4x a base
size and prints the time ratios (about 2 and 4 means linear; a quadratic
stage shows 4 and 16). Ratios come from one run; each time is the fastest
of three rounds over the three sizes, in this process's CPU time, so other
work on the machine does not show up as growth.

    .venv/bin/python -m bench.linearity
"""

from __future__ import annotations

import time
from collections.abc import Callable

from fanfold.text import analyse_chapter

BASE_CHARACTERS = 400_000

FIRST_NAMES = ("Anna", "Mark", "Lexie", "Jonas", "Emma", "Frank")


def surname(index: int) -> str:
    """A different made-up surname for every index: Bakeli, Bakelo, ..."""
    syllables = []
    for _ in range(3):
        index, syllable = divmod(index, 64)
        syllables.append("bdfgklmnprstvzch"[syllable // 4] + "aeio"[syllable % 4])
    return "".join(syllables).title()


def repeated(unit: Callable[[int], str], n: int) -> str:
    """``unit(0) + unit(1) + ...`` cut to ``n`` characters."""
    parts: list[str] = []
    size = 0
    while size < n:
        parts.append(unit(len(parts)))
        size += len(parts[-1])
    return "".join(parts)[:n]


KINDS: dict[str, Callable[[int], str]] = {
    "dialogue": lambda n: ('"Wait," said Mark. "No." She left.\n\n' * n)[:n],
    "one line, no breaks": lambda n: ("Mark Sloan said nothing at all to Lexie " * n)[:n],
    "unbalanced quotes": lambda n: ('"open and never closed, he said\n\n' * n)[:n],
    "symbols": lambda n: ("*~-_ oOo xXx ~BSL~ \n" * n)[:n],
    "names only": lambda n: ("Anna Berg Holm Jonas Sloan Mark Lexie Grey " * n)[:n],
    # One speech open over every paragraph, naming people in each.
    "names in one speech": lambda n: ('"Anna, wait, Mark said\n\n' * n)[:n],
    "breaks only": lambda n: ("***\n\n" * n)[:n],
    "almost break lines": lambda n: (("xXx--" * 20 + "the end\n\n") * n)[:n],
    # A cast that grows with the text: one paragraph of new names, then new vocatives.
    "new names, one line": lambda n: repeated(
        lambda i: f"{FIRST_NAMES[i % 6]} {surname(i)} smiled. ", n
    ),
    "new names addressed": lambda n: repeated(
        lambda i: f'Anna ran. "Damn it, {surname(i)}!"\n\n', n
    ),
}


ROUNDS = 3


def seconds(texts: list[str]) -> list[float]:
    """CPU seconds to analyse each text: the fastest of ROUNDS rounds over all of them.

    Rounds go over the sizes in turn, so a busy spell on the machine slows
    every size alike instead of one.
    """
    best = [float("inf")] * len(texts)
    for _ in range(ROUNDS):
        for index, text in enumerate(texts):
            start = time.process_time()
            analyse_chapter(text)
            best[index] = min(best[index], time.process_time() - start)
    return best


def main() -> None:
    analyse_chapter("Anna said hello.")  # load the name lexicons outside the timings
    print(f"{'input':22} {'1x s':>7} {'2x/1x':>6} {'4x/1x':>6}", flush=True)
    for name, make in KINDS.items():
        base, double, quadruple = seconds([make(size * BASE_CHARACTERS) for size in (1, 2, 4)])
        print(f"{name:22} {base:7.2f} {double / base:6.1f} {quadruple / base:6.1f}", flush=True)


if __name__ == "__main__":
    main()
