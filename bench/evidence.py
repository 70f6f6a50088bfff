"""What keeping "where they meet" costs a work's reading: time and stored size.

Runs the engine over each PDNC dev novel as one chapter, then
``insights.findings.where_they_meet`` on its analysis, and prints the
evidence's share of the reading time and its size (JSON characters, per
pair): both should stay small and bounded whatever the novel's length.

    .venv/bin/python -m bench.evidence [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from bench.pdnc import novels
from fanfold.archive.insights.findings import where_they_meet
from fanfold.text import analyse_in_order


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    header = ("reading s", "evidence s", "share", "chars", "/pair")
    print(f"{'novel':32} {header[0]:>9} {header[1]:>10} " + " ".join(f"{h:>6}" for h in header[2:]))
    for novel in novels():
        started = time.perf_counter()
        analysis = analyse_in_order([("1", novel.text)])
        reading = time.perf_counter() - started
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            evidence = where_they_meet(analysis, [1])
            timings.append(time.perf_counter() - started)
        seconds = statistics.median(timings)
        size = len(json.dumps(evidence, ensure_ascii=False))
        per_pair = size // max(len(evidence), 1)
        print(
            f"{novel.name:32} {reading:9.2f} {seconds:10.4f} {seconds / reading:6.1%}"
            f" {size:6,} {per_pair:6,}"
        )


if __name__ == "__main__":
    main()
