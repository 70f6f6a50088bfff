"""Page budgets, in-process: whole pages through Django's test Client, warm.

Every page goes through the middleware, the context processors and the
templates, as a reader meets it; only the network and the WSGI server are
left out. Each page type runs once per parameter set drawn from the archive
(works across the popularity range, fandoms, tags, words of the generated
prose) after one warm-up pass, ``--runs`` times over, and the milliseconds
of each request are reported as median and p95 (wall clock), the median CPU
time of the process (steadier on a shared machine), the part spent in SQL
and the queries of one request. Budgets (issue 16): a chapter page <= 2 ms
warm, listings and search <= 15 ms at 1,000,000 works.

The archive is generated once (``bench.corpus``) into ``var/bench/pages-N``
(SQLite) and reused; with ``DATABASE_URL`` or ``FANFOLD_DATA_DIR`` set, the
archive there is used as it is (fill it with ``bench.corpus`` first).

    .venv/bin/python -m bench.pages                     # 5,000 works with text: ~30 s to build
    .venv/bin/python -m bench.pages --works 100000      # with text: minutes, once
    .venv/bin/python -m bench.pages --works 1000000 --no-text   # search then finds titles only
    .venv/bin/python -m bench.pages --profile fandom    # cProfile of one page type
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--works", type=int, default=5000, help="archive size to generate")
    parser.add_argument(
        "--no-text", action="store_true", help="generate without chapter prose (faster, 1M)"
    )
    parser.add_argument("--sets", type=int, default=20, help="parameter sets per page type")
    parser.add_argument("--runs", type=int, default=5, help="timed passes over the sets")
    parser.add_argument("--pages", default="", help="page types to run, comma-separated")
    parser.add_argument("--profile", default="", help="cProfile this page type, print the top")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def _archive(args: argparse.Namespace) -> str:
    """The data directory of a generated archive of ``--works`` works, made if missing."""
    if os.environ.get("DATABASE_URL") or os.environ.get("FANFOLD_DATA_DIR"):
        return "as configured"
    name = f"pages-{args.works}" + ("-notext" if args.no_text else "")
    data = ROOT / "var" / "bench" / name
    os.environ["FANFOLD_DATA_DIR"] = str(data)
    done = data / "generated"
    if not done.exists():
        print(f"-- generating {args.works:,} works into {data} (once)", flush=True)
        command = [sys.executable, "-m", "bench.corpus", "--works", str(args.works), "--fresh"]
        if not args.no_text:
            command.append("--with-text")
        subprocess.run(command, check=True, cwd=ROOT)
        done.touch()
    return str(data)


ARGS = _arguments() if __name__ == "__main__" else None
WHERE = _archive(ARGS) if ARGS is not None else ""

import cProfile  # noqa: E402
import math  # noqa: E402
import pstats  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

import django  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.prose import VOCABULARY  # noqa: E402
from fanfold.archive.people.models import User  # noqa: E402
from fanfold.archive.tags.models import Tag, TagType  # noqa: E402
from fanfold.archive.works.models import Chapter, Listing, Rating, Work  # noqa: E402

CHAPTER_BUDGET = 2.0  # ms, warm
LISTING_BUDGET = 15.0  # ms at 1,000,000 works
HOST = "localhost"  # in ALLOWED_HOSTS by default, unlike the test client's "testserver"


@dataclass(frozen=True)
class PageType:
    key: str  # for --pages and --profile
    name: str
    budget: float
    logged_in: bool
    urls: Callable[[random.Random, int], list[str]]


def _readable_works(rng: random.Random, count: int, *, chapters: bool) -> list[Work]:
    """Public, posted works a stranger reads without the adult-content page."""
    works = Work.objects.filter(
        listing=Listing.PUBLIC,
        rating__in=(Rating.GENERAL, Rating.TEEN, Rating.NOT_RATED),
        chapter_count__gt=1 if chapters else 0,
    ).order_by("pk")
    ids = list(works.values_list("pk", flat=True)[:5000])
    return list(Work.objects.filter(pk__in=rng.sample(ids, min(count, len(ids)))))


def chapter_urls(rng: random.Random, count: int) -> list[str]:
    """A posted chapter after the first of multi-chapter works (or the only one)."""
    works = _readable_works(rng, count, chapters=True) or _readable_works(
        rng, count, chapters=False
    )
    urls = []
    for work in works:
        chapters = list(
            Chapter.objects.filter(work=work, is_draft=False)
            .order_by("position")
            .values_list("pk", flat=True)
        )
        urls.append(f"/works/{work.pk}/chapters/{chapters[min(1, len(chapters) - 1)]}/")
    return urls


def index_urls(rng: random.Random, count: int) -> list[str]:
    return [f"/works/{work.pk}/navigate/" for work in _readable_works(rng, count, chapters=True)]


def _tag_url(tag: Tag, query: dict[str, Any] | None = None) -> str:
    url = tag.get_absolute_url()
    return url + ("?" + urlencode(query, doseq=True) if query else "")


def _popular(tag_type: TagType, rng: random.Random, count: int) -> list[Tag]:
    """Half among the 20 biggest (the hard cases), half from the top few hundred."""
    tags = list(
        Tag.objects.filter(type=tag_type, merger=None, listed_count__gt=0).order_by(
            "-listed_count", "pk"
        )[:300]
    )
    return [rng.choice(tags[:20] if i % 2 == 0 else tags) for i in range(count)]


def fandom_urls(rng: random.Random, count: int) -> list[str]:
    """A fandom's works, rated General or Teen, complete only, by kudos."""
    query = {"ratings": ["general", "teen"], "complete": "yes", "sort": "kudos"}
    return [_tag_url(tag, query) for tag in _popular(TagType.FANDOM, rng, count)]


def tag_urls(rng: random.Random, count: int) -> list[str]:
    return [_tag_url(tag) for tag in _popular(TagType.FREEFORM, rng, count)]


def _word(rng: random.Random) -> str:
    """A prose word, its frequency rank drawn log-uniformly (as bench.discovery does)."""
    rank = int(math.exp(rng.uniform(0, math.log(len(VOCABULARY))))) - 1
    return VOCABULARY[rank]


def search_urls(rng: random.Random, count: int) -> list[str]:
    return [f"/works/?{urlencode({'q': f'{_word(rng)} {_word(rng)}'})}" for _ in range(count)]


def home_urls(rng: random.Random, count: int) -> list[str]:
    return ["/"] * count


PAGE_TYPES = [
    PageType("chapter", "chapter, anonymous", CHAPTER_BUDGET, False, chapter_urls),
    PageType("chapter-in", "chapter, logged in", CHAPTER_BUDGET, True, chapter_urls),
    PageType("index", "chapter index", LISTING_BUDGET, False, index_urls),
    PageType("fandom", "fandom listing, filtered", LISTING_BUDGET, False, fandom_urls),
    PageType("tag", "tag listing", LISTING_BUDGET, False, tag_urls),
    PageType("search", "search", LISTING_BUDGET, False, search_urls),
    PageType("home", "home", LISTING_BUDGET, False, home_urls),
]


def _client(logged_in: bool) -> Client:
    client = Client(HTTP_HOST=HOST)
    if logged_in:  # a generated reader: unusable password, so a session made directly
        reader = User.objects.filter(is_active=True).order_by("pk").first()
        assert reader is not None, "the archive has no accounts"
        client.force_login(reader)
    return client


class SqlClock:
    """Time spent inside the database driver, summed across queries."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


@contextmanager
def sql_clock() -> Iterator[SqlClock]:
    clock = SqlClock()
    with connection.execute_wrapper(clock):
        yield clock


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")


@dataclass(frozen=True)
class Figures:
    median: float
    p95: float
    cpu: float  # median CPU time of this process: steadier than the clock on a busy machine
    sql: float  # median SQL share, ms
    queries: int  # of one request (the most among the sets)


def measure(page: PageType, sets: int, runs: int, seed: int) -> Figures:
    client = _client(page.logged_in)
    urls = page.urls(random.Random(seed), sets)
    most_queries = 0
    for url in urls:  # warm-up: templates compiled, database pages read
        with CaptureQueriesContext(connection) as captured:
            _get(client, url)
        most_queries = max(most_queries, len(captured.captured_queries))
    times, cpu, sql = [], [], []
    for _ in range(runs):
        for url in urls:
            with sql_clock() as clock:
                started, started_cpu = time.perf_counter(), time.process_time()
                _get(client, url)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            sql.append(clock.seconds * 1000)
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return Figures(
        statistics.median(times),
        cuts[94],
        statistics.median(cpu),
        statistics.median(sql),
        most_queries,
    )


def profile(page: PageType, sets: int, seed: int) -> None:
    client = _client(page.logged_in)
    urls = page.urls(random.Random(seed), sets)
    for url in urls:
        _get(client, url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        for url in urls:
            _get(client, url)
    profiler.disable()
    profiler.dump_stats(str(ROOT / "var" / f"pages-{page.key}.prof"))  # for pstats/snakeviz
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(40)


def main() -> None:
    args = ARGS or _arguments()
    chosen = [key.strip() for key in args.pages.split(",") if key.strip()]
    pages = [page for page in PAGE_TYPES if not chosen or page.key in chosen]
    works = Work.objects.count()
    print(
        f"bench.pages on {connection.vendor} ({WHERE}): {works:,} works;"
        f" {args.sets} sets x {args.runs} runs per page type, warm"
    )
    print(f"  command: .venv/bin/python -m bench.pages {' '.join(sys.argv[1:])}".rstrip())
    if args.profile:
        page = next(page for page in PAGE_TYPES if page.key == args.profile)
        profile(page, args.sets, args.seed)
        return
    print(
        f"  {'page':26} {'median':>8} {'p95':>8} {'CPU':>8} {'of it SQL':>10}"
        f" {'queries':>8} {'budget':>8}"
    )
    for page in pages:
        figures = measure(page, args.sets, args.runs, args.seed)
        verdict = "ok" if figures.median <= page.budget else "OVER"
        print(
            f"  {page.name:26} {figures.median:6.2f}ms {figures.p95:6.2f}ms {figures.cpu:6.2f}ms"
            f" {figures.sql:8.2f}ms {figures.queries:8d} {page.budget:6.0f}ms {verdict}"
            f"  ({page.key})",
            flush=True,
        )
    print(
        f"  budgets (issue 16): chapter <= {CHAPTER_BUDGET:g} ms warm; listings and search"
        f" <= {LISTING_BUDGET:g} ms at 1,000,000 works (this archive: {works:,})"
    )


if __name__ == "__main__":
    main()
