"""Discovery latency: a fixed mix of listing and search queries, p50/p95/p99.

Runs against the archive the settings point at (SQLite under
FANFOLD_DATA_DIR, PostgreSQL with DATABASE_URL), which ``bench.corpus``
fills. Each kind of query runs once per parameter set drawn from the data
(fandoms across the popularity range, their relationships, common tags to
exclude, words from the generated prose), after one warm-up pass, and the
milliseconds of the engine call are reported as percentiles. Targets (issue
5): filter queries p95 <= 50 ms at 1,000,000 works; full text p95 <= 100 ms
at 100,000 works with chapter text.

    .venv/bin/python -m bench.discovery [--sets 40] [--kinds fandom,deep,...]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
django.setup()

from django.db import connection  # noqa: E402

from bench.prose import VOCABULARY  # noqa: E402
from fanfold.archive.search import filters, fulltext  # noqa: E402
from fanfold.archive.search.filters import Sort, WorkFilter  # noqa: E402
from fanfold.archive.search.query import parse_query  # noqa: E402
from fanfold.archive.tags.models import Tag, TagType  # noqa: E402
from fanfold.archive.works.models import Listing  # noqa: E402

LEVEL = Listing.MEMBERS  # a logged-in reader: the larger result sets
DEEP_PAGE = 400
PER_PAGE = 20

Query = Callable[[], object]


@dataclass(frozen=True)
class Kind:
    name: str
    make: Callable[[random.Random], Query]
    fulltext: bool = False


def _fandoms() -> list[Tag]:
    """Fandoms by popularity, the biggest first."""
    return list(
        Tag.objects.filter(type=TagType.FANDOM, merger=None).order_by("-member_count", "pk")
    )


def _popular(tags: list[Tag], rng: random.Random) -> Tag:
    """Half the draws among the 20 biggest (the hard cases), half from anywhere."""
    return rng.choice(tags[:20]) if rng.random() < 0.5 else rng.choice(tags[: max(len(tags), 1)])


def _relationship_of(fandom: Tag, rng: random.Random) -> Tag | None:
    children = list(
        fandom.children.filter(type=TagType.RELATIONSHIP, merger=None).order_by("-member_count")[
            :10
        ]
    )
    return rng.choice(children) if children else None


def _common_freeforms() -> list[Tag]:
    return list(
        Tag.objects.filter(type=TagType.FREEFORM, merger=None).order_by("-member_count")[:30]
    )


def _word(rng: random.Random) -> str:
    """A generated-prose word, its frequency rank drawn log-uniformly: as many
    searches for words in most works as for words in a handful."""
    rank = int(math.exp(rng.uniform(0, math.log(len(VOCABULARY))))) - 1
    return VOCABULARY[rank]


def kinds() -> list[Kind]:
    fandoms = _fandoms()
    freeforms = _common_freeforms()

    def single_fandom(rng: random.Random) -> Query:
        wf = WorkFilter(include_tags=(_popular(fandoms, rng).pk,))
        return lambda: filters.find_works(wf, level=LEVEL)

    def combined(rng: random.Random) -> Query:
        fandom = _popular(fandoms, rng)
        relationship = _relationship_of(fandom, rng)
        include = (fandom.pk, relationship.pk) if relationship else (fandom.pk,)
        wf = WorkFilter(
            include_tags=include, exclude_tags=(rng.choice(freeforms).pk,), sort=Sort.KUDOS
        )
        return lambda: filters.find_works(wf, level=LEVEL)

    def deep(rng: random.Random) -> Query:
        fandom = fandoms[rng.randrange(min(5, len(fandoms)))]
        wf = WorkFilter(include_tags=(fandom.pk,), sort=rng.choice([Sort.UPDATED, Sort.KUDOS]))
        skipped = filters.find_works(wf, level=LEVEL, per_page=DEEP_PAGE * PER_PAGE)
        return lambda: filters.find_works(wf, level=LEVEL, cursor=skipped.next)

    def deep_back(rng: random.Random) -> Query:
        """A "previous page" link from as deep: the same plan read in reverse."""
        fandom = fandoms[rng.randrange(min(5, len(fandoms)))]
        wf = WorkFilter(include_tags=(fandom.pk,), sort=rng.choice([Sort.UPDATED, Sort.KUDOS]))
        skipped = filters.find_works(wf, level=LEVEL, per_page=DEEP_PAGE * PER_PAGE)
        after = filters.find_works(wf, level=LEVEL, cursor=skipped.next)
        return lambda: filters.find_works(wf, level=LEVEL, cursor=after.previous)

    def facets(rng: random.Random) -> Query:
        fandom = _popular(fandoms, rng)
        wf = WorkFilter(include_tags=(fandom.pk,), complete=rng.choice([None, True]))

        return lambda: filters.summarise(wf, level=LEVEL)

    def listing_page(rng: random.Random) -> Query:
        fandom = _popular(fandoms, rng)
        wf = WorkFilter(include_tags=(fandom.pk,), ratings=("teen", "general"))

        def run() -> object:
            count, facets = filters.summarise(wf, level=LEVEL)
            return filters.find_works(wf, level=LEVEL, expected=count), facets

        return run

    def phrase(rng: random.Random) -> Query:
        wf = WorkFilter(text=parse_query(f'"the {_word(rng)} and"'), sort=Sort.RELEVANCE)
        return lambda: filters.find_works(wf, level=LEVEL)

    def word_in_fandom(rng: random.Random) -> Query:
        wf = WorkFilter(
            include_tags=(_popular(fandoms, rng).pk,),
            text=parse_query(_word(rng)),
            sort=Sort.RELEVANCE,
        )
        return lambda: filters.find_works(wf, level=LEVEL)

    def search_page(rng: random.Random) -> Query:
        wf = WorkFilter(text=parse_query(f"{_word(rng)} {_word(rng)}"), sort=Sort.RELEVANCE)

        def run() -> object:
            count, facets = filters.summarise(wf, level=LEVEL)
            page = filters.find_works(wf, level=LEVEL, expected=count)
            assert wf.text is not None
            return fulltext.snippets(page.work_ids, wf.text), facets

        return run

    def word_by_kudos(rng: random.Random) -> Query:
        wf = WorkFilter(text=parse_query(_word(rng)), sort=Sort.KUDOS)
        return lambda: filters.find_works(wf, level=LEVEL)

    return [
        Kind("single fandom, by updated", single_fandom),
        Kind("fandom + relationship - tag, by kudos", combined),
        Kind(f"deep page ({DEEP_PAGE})", deep),
        Kind(f"deep page ({DEEP_PAGE}), previous", deep_back),
        Kind("count + facets, fandom", facets),
        Kind("whole listing page", listing_page),
        Kind("full text: phrase, best match", phrase, fulltext=True),
        Kind("full text: word in a fandom, best match", word_in_fandom, fulltext=True),
        Kind("full text: search page (+count, snippets)", search_page, fulltext=True),
        Kind("full text: word, by kudos", word_by_kudos, fulltext=True),
    ]


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive") if len(ordered) > 1 else []
    if not cuts:
        return (ordered[0],) * 3 if ordered else (0.0, 0.0, 0.0)
    return cuts[49], cuts[94], cuts[98]


def measure(kind: Kind, sets: int, seed: int) -> list[float]:
    rng = random.Random(seed)
    queries = [kind.make(rng) for _ in range(sets)]
    for query in queries:  # warm-up: the first touch of each range reads from disk
        query()
    times = []
    for query in queries:
        start = time.perf_counter()
        query()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sets", type=int, default=40, help="parameter sets per kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--only", choices=["filters", "fulltext", "all"], default="all", help="which kinds to run"
    )
    args = parser.parse_args()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM works_work")
        works = cursor.fetchone()[0]
    print(f"{connection.vendor}, {works:,} works, {args.sets} parameter sets per kind")
    print(f"  {'query':40} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind in kinds():
        if (args.only == "filters" and kind.fulltext) or (
            args.only == "fulltext" and not kind.fulltext
        ):
            continue
        p50, p95, p99 = percentiles(measure(kind, args.sets, args.seed))
        print(f"  {kind.name:40} {p50:8.1f} {p95:8.1f} {p99:8.1f}")


if __name__ == "__main__":
    main()
