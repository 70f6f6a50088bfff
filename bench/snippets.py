"""Search snippets against body length: a page of 20 matching works whose bodies grow.

Twenty works per size, their bodies 5,000 words times 1, 2, 4, 8 and 16,
and a 500,000-word case (100 chapters of 5,000 words). Each work is made
through the services (so the search page lists it) with one short
chapter; its full-text document is then replaced by the long body, which
is all a search reads of a work's text. Each size has its own fandom tag,
so a search within it shows exactly that size's twenty works.

For each size and query, medians over --runs runs (after one warm-up) of

- snip: ``fulltext.snippets`` for the twenty works (the step that read
  the whole body);
- page: the whole search results page (count, facets, ranking, snippets,
  template) through Django's test Client, in process;

and each figure's ratio to the 1x row of the same run. Queries: a word on
every page of the prose ("rain"); a word written once, three quarters of
the way into each body ("lamplighter": inside the scanned prefix for the
shorter bodies, beyond it for the long ones); a word only in the titles
("tidewater": the body is searched and not found); and three words, the
last of them the deep one.

SQLite by default (a throwaway file, removed after, or the one in
FANFOLD_DATA_DIR); with DATABASE_URL set, that PostgreSQL database. Use a
throwaway database: the works are removed at the end, but tag counters of
a real archive would move while it runs.

    .venv/bin/python -m bench.snippets [--runs 5] [--sizes 1,2,4,8,16,100] [--queries rain,...]
    DATABASE_URL=postgresql://... .venv/bin/python -m bench.snippets
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fanfold.archive.people.models import User

BASE_WORDS = 5_000
PAGE = 20
SIZES = (1, 2, 4, 8, 16, 100)
QUERIES = ("rain", "lamplighter", "tidewater", "rain letter lamplighter")
DEEP_LINE = "The lamplighter went by without a word."
SUMMARY = "A town by the water, and a letter nobody answered."
OWNER = "snippet-bench"
CHAPTERS = 20  # distinct generated chapters, repeated to make the long bodies


@dataclass(frozen=True)
class Shelf:
    """The twenty works of one size, and the tag that finds them."""

    size: int
    tag_id: int
    work_ids: list[int]


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL") and not os.environ.get("FANFOLD_DATA_DIR"):
        os.environ["FANFOLD_DATA_DIR"] = tempfile.mkdtemp(prefix="fanfold-bench-snippets-")
        atexit.register(shutil.rmtree, os.environ["FANFOLD_DATA_DIR"], ignore_errors=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
    import django
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # the test Client's host name is allowed
    call_command("migrate", verbosity=0)


def chapters() -> list[str]:
    from bench.prose import Prose

    return [Prose(seed=seed).chapter(words=BASE_WORDS) for seed in range(CHAPTERS)]


def body(size: int, number: int, texts: list[str]) -> str:
    """``size`` chapters, a different order per work, the deep line three quarters in."""
    parts = [texts[(number + index) % len(texts)] for index in range(size)]
    joined = "\n\n".join(parts)
    at = joined.find(" ", len(joined) * 3 // 4)
    return f"{joined[:at]} {DEEP_LINE}{joined[at:]}"


def remove_leftovers() -> None:
    from fanfold.archive.people.models import User
    from fanfold.archive.works import services
    from fanfold.archive.works.models import Work

    owner = User.objects.filter(username=OWNER).first()
    if owner is None:
        return
    for work in Work.objects.filter(owner=owner):
        services.delete_work(work=work, by=owner)
    owner.delete()


def make_shelf(owner: User, size: int, texts: list[str]) -> Shelf:
    from fanfold.archive.search import fulltext
    from fanfold.archive.tags.models import Tag, TagType
    from fanfold.archive.works import services
    from fanfold.archive.works.models import Rating

    fandom = f"Snippet Bench {size}x"
    tags = {TagType.WARNING: ["No Archive Warnings Apply"], TagType.FANDOM: [fandom]}
    work_ids = []
    documents = []
    for number in range(PAGE):
        title = f"Tidewater {size}x {number}"
        work = services.create_work(
            owner=owner,
            fields=services.WorkFields(
                title=title, rating=Rating.GENERAL, summary=SUMMARY, tags=tags
            ),
            first_chapter=services.ChapterFields(body="A short first draft."),
            post=True,
        )
        work_ids.append(work.pk)
        documents.append(
            fulltext.Document(
                work.pk,
                title,
                OWNER,
                SUMMARY,
                "",
                ", ".join(name for names in tags.values() for name in names),
                body(size, number, texts),
            )
        )
    fulltext.index_documents(documents)
    return Shelf(size, Tag.objects.get(name=fandom).pk, work_ids)


def build(sizes: list[int]) -> list[Shelf]:
    from django.db import connection

    from fanfold.archive.people.models import User

    remove_leftovers()
    owner = User.objects.create_user(username=OWNER, email=f"{OWNER}@bench.invalid")
    texts = chapters()
    shelves = [make_shelf(owner, size, texts) for size in sizes]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_document")
    return shelves


def median_ms(action: Callable[[], object], runs: int) -> float:
    action()  # warm-up: caches, the TEMP table, the template
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def snip(shelf: Shelf, text: str) -> Callable[[], object]:
    from fanfold.archive.search import fulltext
    from fanfold.archive.search.query import parse_query

    query = parse_query(text)
    return lambda: fulltext.snippets(shelf.work_ids, query)


def page(shelf: Shelf, text: str) -> Callable[[], object]:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    url = reverse("search:works")

    def load() -> Any:
        response = client.get(url, {"q": text, "include": shelf.tag_id})
        assert response.status_code == 200, response.status_code
        assert response.content.count(b'class="snippet"') == PAGE, "not a page of 20 results"
        return response

    return load


def report(shelves: list[Shelf], text: str, runs: int) -> None:
    print(f"\n-- query {text!r}: ms, median of {runs} (ratio to the first row)")
    print(f"{'size':>5} {'words/work':>11} {'snip':>10} {'x':>7} {'page':>10} {'x':>7}")
    first: tuple[float, float] | None = None
    for shelf in shelves:
        snip_ms = median_ms(snip(shelf, text), runs)
        page_ms = median_ms(page(shelf, text), runs)
        first = first or (snip_ms, page_ms)
        print(
            f"{shelf.size:>4}x {shelf.size * BASE_WORDS:>11,} {snip_ms:>10.1f}"
            f" {snip_ms / first[0]:>6.1f}x {page_ms:>10.1f} {page_ms / first[1]:>6.1f}x",
            flush=True,
        )


def command(argv: list[str]) -> str:
    database = "DATABASE_URL=$DATABASE_URL " if os.environ.get("DATABASE_URL") else ""
    return f"{database}.venv/bin/python -m bench.snippets {' '.join(argv)}".rstrip()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--queries", default=",".join(QUERIES))
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection

    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"== {command(argv)}")
    print(f"{connection.vendor}: {PAGE} works a size, bodies of {BASE_WORDS:,} words times {sizes}")
    start = time.perf_counter()
    shelves = build(sizes)
    print(f"made and indexed in {time.perf_counter() - start:.0f} s", flush=True)
    try:
        for text in args.queries.split(","):
            report(shelves, text, args.runs)
    finally:
        remove_leftovers()
    return 0


if __name__ == "__main__":
    sys.exit(main())
