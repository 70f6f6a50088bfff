"""Bookmark pages with many bookmarks: a reader's bookmarks page and a work's bookmarks.

One reader bookmarks --works works (2,000 by default), each bookmark with
notes, two tags and a third of them recs, a tenth private; --works other
readers bookmark one popular work. Works are written in bulk and indexed
in one call (the services would take minutes to post 2,000 works; the
pages read the same rows either way).

For each page, p50 and p95 over --runs loads (after one warm-up) through
Django's test Client, in process, with the page's query count:

- the listing of all works, the same sidebar over the same works (for comparison);
- the reader's own bookmarks page (private ones too), newest updated first;
- the same page as a stranger sees it, sorted by kudos, one rating only;
- page 10 of the reader's page (following "next page" links);
- the popular work's public bookmarks, first page and page 10.

SQLite by default (a throwaway file, removed after, or the one in
FANFOLD_DATA_DIR); with DATABASE_URL set, that PostgreSQL database. Use a
throwaway database: the rows stay behind.

    .venv/bin/python -m bench.bookmarks [--works 2000] [--runs 40]
    DATABASE_URL=postgresql://... .venv/bin/python -m bench.bookmarks
"""

from __future__ import annotations

import argparse
import atexit
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test import Client

    from fanfold.archive.people.models import User

BOOKMARKER = "bookmark-bench"


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL") and not os.environ.get("FANFOLD_DATA_DIR"):
        os.environ["FANFOLD_DATA_DIR"] = tempfile.mkdtemp(prefix="fanfold-bench-bookmarks-")
        atexit.register(shutil.rmtree, os.environ["FANFOLD_DATA_DIR"], ignore_errors=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
    import django
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # the test Client's host name is allowed
    call_command("migrate", verbosity=0)


def build(count: int) -> tuple[User, int]:
    """The bookmarker and the popular work's id."""
    from django.db import transaction

    from fanfold.archive.people.models import User
    from fanfold.archive.reading.models import Bookmark
    from fanfold.archive.search.indexing import index_works
    from fanfold.archive.tags.models import Tag, TagType
    from fanfold.archive.works.models import Rating, Work

    ratings = [Rating.GENERAL, Rating.TEEN, Rating.MATURE]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    with transaction.atomic():
        author = User.objects.create_user(f"{BOOKMARKER}-author")
        reader = User.objects.create_user(BOOKMARKER)
        works = Work.objects.bulk_create(
            Work(
                owner=author,
                title=f"Bench work {n}",
                summary="<p>A summary of a few words.</p>",
                rating=ratings[n % 3],
                is_draft=False,
                published_at=start,
                updated_at=start + timedelta(hours=n),
                word_count=1000 + n,
                chapter_count=1,
                kudos_count=n % 97,
            )
            for n in range(count)
        )
        index_works(work.pk for work in works)
        tags = [
            Tag.objects.create(type=TagType.FREEFORM, name=f"{BOOKMARKER} tag {n}")
            for n in range(10)
        ]
        mine = Bookmark.objects.bulk_create(
            Bookmark(
                user=reader,
                work=work,
                notes=f"<p>Notes on work {n}, kept for later.</p>",
                is_rec=n % 3 == 0,
                is_private=n % 10 == 0,
            )
            for n, work in enumerate(works)
        )
        through = Bookmark.tags.through
        through.objects.bulk_create(
            through(bookmark_id=bookmark.pk, tag_id=tags[(n + k) % 10].pk)
            for n, bookmark in enumerate(mine)
            for k in (0, 1)
        )
        others = User.objects.bulk_create(
            User(username=f"{BOOKMARKER}-{n}", password="!") for n in range(count)
        )
        popular = works[0]
        Bookmark.objects.bulk_create(
            Bookmark(user=other, work=popular, notes="<p>Yes.</p>") for other in others
        )
        for work in works:
            public = Bookmark.objects.filter(work=work, is_private=False).count()
            Work.objects.filter(pk=work.pk).update(bookmark_count=public)
    return reader, popular.pk


def follow(client: Client, url: str, pages: int) -> str:
    """The address of page ``pages``, following "next page" links from ``url``."""
    base = url.split("?")[0]
    for _ in range(pages - 1):
        html = client.get(url).content.decode()
        found = re.search(r'<a rel="next" href="([^"]+)"', html)
        if found is None:
            raise SystemExit(f"{url} has fewer than {pages} pages")
        url = base + unescape(found.group(1))
    return url


@dataclass(frozen=True)
class Figure:
    name: str
    p50: float
    p95: float
    queries: int


def measure(name: str, client: Client, url: str, runs: int) -> Figure:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    queries = len(captured.captured_queries)  # before the next request clears the log
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return Figure(name, statistics.median(times), p95, queries)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection
    from django.test import Client

    from fanfold.archive.people.models import User

    if User.objects.filter(username=BOOKMARKER).exists():
        raise SystemExit("This database has a bookmark bench already: use a fresh one.")
    began = time.perf_counter()
    reader, popular = build(args.works)
    print(f"built {args.works:,} works and {2 * args.works:,} bookmarks", end=" ")
    print(f"in {time.perf_counter() - began:.0f} s ({connection.vendor})")
    owner, stranger = Client(), Client()
    owner.force_login(reader)
    mine = f"/users/{BOOKMARKER}/bookmarks/"
    theirs = f"/works/{popular}/bookmarks/"
    figures = [
        measure("all works (the listing, for comparison)", stranger, "/works/", args.runs),
        measure("own bookmarks page", owner, mine, args.runs),
        measure(
            "as a stranger, by kudos, Teen only",
            stranger,
            mine + "?sort=kudos&ratings=teen",
            args.runs,
        ),
        measure("own bookmarks, page 10", owner, follow(owner, mine, 10), args.runs),
        measure("a work's bookmarks", stranger, theirs, args.runs),
        measure("a work's bookmarks, page 10", stranger, follow(stranger, theirs, 10), args.runs),
    ]
    print(f"{'page':<40} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for figure in figures:
        print(f"{figure.name:<40} {figure.p50:>8.1f} {figure.p95:>8.1f} {figure.queries:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
