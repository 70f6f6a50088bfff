"""Words per second of the whole reading pipeline, on one core.

Runs ``analyse_work`` (segment, order, characters, quotes, speakers,
relations) over each PDNC dev novel as one chapter and prints words/s,
the median of several runs. The target is 100,000 words/s.

    .venv/bin/python -m bench.throughput [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.pdnc import novels
from fanfold.text import analyse_work
from fanfold.text.words import count_words

TARGET_WORDS_PER_SECOND = 100_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    total_words = 0
    total_seconds = 0.0
    print(f"{'novel':32} {'words':>9} {'median s':>9} {'words/s':>10}")
    for novel in novels():
        words = count_words(novel.text)
        seconds = statistics.median(_time_once(novel.name, novel.text) for _ in range(args.runs))
        total_words += words
        total_seconds += seconds
        print(f"{novel.name:32} {words:9,} {seconds:9.2f} {words / seconds:10,.0f}")
    if total_seconds:
        rate = total_words / total_seconds
        verdict = "meets" if rate >= TARGET_WORDS_PER_SECOND else "misses"
        print(f"{'all':32} {total_words:9,} {total_seconds:9.2f} {rate:10,.0f}  ({verdict} 100k)")
    else:
        print("no PDNC novels found under ../shared/eval/pdnc-dev")


def _time_once(name: str, text: str) -> float:
    start = time.perf_counter()
    analyse_work([(name, text)])
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
