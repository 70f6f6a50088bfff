"""Chapter order on the fixture works, and on the seeds.

For the dev cases (tuned on) and the held-out ones (never tuned on): the
share of works put exactly in order, and the share of chapter pairs in the
right order. Then the seeds, whose file names run in reverse.

    .venv/bin/python -m bench.ordering
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from bench.fixtures import FIXTURES
from bench.pdnc import shared_dir
from fanfold.text.ordering import order_chapters


def predicted(case: Path) -> tuple[list[str], list[str], float]:
    files = sorted(case.glob("*.txt"))
    result = order_chapters([(p.name, p.read_text(encoding="utf-8")) for p in files])
    expected = json.loads((case / "expected.json").read_text())["order"]
    return [files[i].name for i in result.order], expected, result.confidence


def main() -> None:
    for split in ("dev", "heldout"):
        exact = pairs_right = pairs = 0
        cases = sorted(p for p in (FIXTURES / "ordering" / split).iterdir() if p.is_dir())
        for case in cases:
            got, expected, _ = predicted(case)
            exact += got == expected
            for first, second in itertools.combinations(expected, 2):
                pairs += 1
                pairs_right += got.index(first) < got.index(second)
        print(
            f"  {split:8} {len(cases):2} works  exact order {exact / max(len(cases), 1):.2f}"
            f"  pairs in order {pairs_right / max(pairs, 1):.2f}"
        )
    seeds = sorted((shared_dir() / "seeds").glob("*.txt"))
    if seeds:
        result = order_chapters([(p.name, p.read_text(encoding="utf-8")) for p in seeds])
        names = [seeds[i].name for i in result.order]
        print(f"  seeds: {' then '.join(names)} (confidence {result.confidence:.2f})")


if __name__ == "__main__":
    main()
