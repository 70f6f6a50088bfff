"""Full-text micro-benchmark: index time and query latency of ``fulltext`` alone.

Makes N documents of generated prose (``bench.prose``, one ~2,000-word
chapter each, a quarter of the words drawn from a Zipf-distributed
vocabulary of 40,000 made-up words so the index has a realistic tail),
indexes them with ``index_documents`` in batches of 500, then times, over
several runs, each query in the mix as the search page would run it:
the top 20 by rank, the number of matches, and the 20 snippets.

SQLite by default (a throwaway file, or the one in FANFOLD_DATA_DIR); with DATABASE_URL set, that
PostgreSQL database (its search_document rows are replaced).

    .venv/bin/python -m bench.fulltext_micro [--works 20000] [--words 2000] [--runs 20]
    DATABASE_URL=postgresql://... .venv/bin/python -m bench.fulltext_micro
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fanfold.archive.search.fulltext import Document

QUERIES = {
    "common word": "rain",
    "rare word": "{rare}",
    "phrase everywhere": '"the old mill"',
    "phrase": '"{common} {common2}"',
    "rare phrase": '"lighthouse keeper"',
    "field prefix": "title:harbour",
    "tag prefix": 'tag:"slow burn"',
    "word + exclusion": "letter -fluff",
    "exclusion only": "-fluff",
}
TAGS = ["Angst", "Fluff", "Slow Burn", "Hurt/Comfort", "Alternate Universe", "Friendship"]
RARE = "\n\nThe lighthouse keeper waved."  # in one document of a thousand
SYLLABLES = "ka lo mi ren sa tor vel un dri ga po she bri nal os tem fa ru".split()


def lexicon(size: int, seed: int = 3) -> list[str]:
    chooser = random.Random(seed)
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(chooser.choice(SYLLABLES) for _ in range(chooser.randint(2, 4))))
    return sorted(words)


def documents(count: int, words: int) -> Iterator[Document]:
    from bench.prose import Prose
    from fanfold.archive.search.fulltext import Document

    vocabulary = lexicon(40_000)
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    for work_id in range(1, count + 1):
        prose = Prose(seed=work_id)
        chooser = random.Random(work_id)
        body = prose.chapter(words=words * 3 // 4)
        extra = chooser.choices(vocabulary, weights, k=words // 4)
        yield Document(
            work_id=work_id,
            title=prose.title(),
            author=f"writer{work_id % 997}",
            summary=prose.narration(),
            notes="Thank you for reading!",
            tags=", ".join(chooser.sample(TAGS, 2)),
            body=body + "\n\n" + " ".join(extra) + RARE * (work_id % 1000 == 0),
        )


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL") and not os.environ.get("FANFOLD_DATA_DIR"):
        os.environ["FANFOLD_DATA_DIR"] = tempfile.mkdtemp(prefix="fanfold-bench-fts-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def index(count: int, words: int) -> float:
    from django.db import connection

    from fanfold.archive.search import fulltext

    table = "search_fts" if connection.vendor == "sqlite" else "search_document"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
    seconds = 0.0
    batch: list[Document] = []
    for document in documents(count, words):
        batch.append(document)
        if len(batch) == 500:
            seconds += timed(partial(fulltext.index_documents, batch)) / 1000
            batch = []
    if batch:
        seconds += timed(partial(fulltext.index_documents, batch)) / 1000
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_document")
    return seconds


def page(text: str, count: bool = False) -> list[tuple[int, ...]]:
    """The top 20 by rank, or the number of matches."""
    from django.db import connection

    from fanfold.archive.search import fulltext
    from fanfold.archive.search.query import parse_query

    sql, params = fulltext.match(parse_query(text))
    outer = "count(*)" if count else "work_id"
    tail = "" if count else " ORDER BY rank DESC LIMIT 20"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {outer} FROM ({sql}) m{tail}", params)  # type: ignore[arg-type]
        return list(cursor.fetchall())


def run_queries(runs: int) -> None:
    from fanfold.archive.search import fulltext
    from fanfold.archive.search.query import parse_query

    # Zipf words 40 and 60: each in most documents, next to each other in few.
    vocabulary = lexicon(40_000)
    names = {"rare": vocabulary[-7], "common": vocabulary[40], "common2": vocabulary[60]}
    print(
        f"{'query':18} {'matches':>8} {'top20 p50':>10} {'p95':>7} {'count p50':>10} {'p95':>7}"
        f" {'snip p50':>9} {'p95':>7}  (ms)"
    )
    for label, template in QUERIES.items():
        text = template.format(**names)
        matches = page(text, count=True)[0][0]
        top = [row[0] for row in page(text)]
        query = parse_query(text)
        tops = [timed(partial(page, text)) for _ in range(runs)]
        counts = [timed(partial(page, text, count=True)) for _ in range(runs)]
        snips = [timed(partial(fulltext.snippets, top, query)) for _ in range(runs)]
        print(
            f"{label:18} {matches:>8} {p(tops, 50):>10.1f} {p(tops, 95):>7.1f}"
            f" {p(counts, 50):>10.1f} {p(counts, 95):>7.1f} {p(snips, 50):>9.1f}"
            f" {p(snips, 95):>7.1f}   {text}"
        )


def p(values: list[float], percentile: int) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[percentile - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=20_000)
    parser.add_argument("--words", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--skip-index", action="store_true", help="query what is indexed")
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection

    print(f"== {connection.vendor}: {args.works:,} documents of ~{args.words:,} words")
    if not args.skip_index:
        seconds = index(args.works, args.words)
        print(f"index: {seconds:.1f} s ({args.works / seconds:,.0f} documents/s)")
    run_queries(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
