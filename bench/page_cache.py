"""What a stranger's chapter page costs: rendered, from the page cache, and as a 304.

Builds a throwaway SQLite archive with one posted work of ``--chapters``
chapters of about ``--words`` words each, then times ``--runs`` requests of
its second chapter through Django's test client (the whole request:
middleware, the version query, the cache, the render), after one warm-up
each, and prints medians and p95 in ms with their ratios to the rendered page:

- rendered: the work's version is moved before each request (not timed), so
  every request renders the page as on a cache miss;
- cache hit: a visitor without a session, from Django's cache (local memory
  here; Redis in a multi-server layout adds a round trip);
- 304: the same visitor's browser asking again with the page's ETag;
- logged in: a reader's own page, never cached (for comparison).

    .venv/bin/python -m bench.page_cache [--chapters 10] [--words 3000] [--runs 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any


def setup() -> None:
    os.environ["FANFOLD_DATA_DIR"] = tempfile.mkdtemp(prefix="fanfold-bench-pagecache-")
    os.environ.setdefault("FANFOLD_SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)


def timed(
    call: Callable[[], Any], runs: int, before: Callable[[], Any] | None = None
) -> list[float]:
    """Seconds per call, after one warm-up call; ``before`` runs untimed before each."""
    call()
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--chapters", type=int, default=10)
    parser.add_argument("--words", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    setup()

    from django.db.models import F
    from django.test import Client
    from django.urls import reverse

    from fanfold.archive.people.models import User
    from fanfold.archive.reading import hits
    from fanfold.archive.tags.models import TagType
    from fanfold.archive.works import services
    from fanfold.archive.works.models import Rating, Work

    hits.BUFFER.flush_seconds = float("inf")  # no flush inside a timed request
    hits.BUFFER.flush_hits = 10**9
    author = User.objects.create_user("author")
    reader = User.objects.create_user("reader")
    paragraph = " ".join(["Elizabeth walked on, and the lane was quiet."] * 10)
    body = "\n\n".join([paragraph] * max(1, args.words // 90))
    fields = services.WorkFields(
        title="A Long Walk",
        rating=Rating.GENERAL,
        tags={TagType.FANDOM: ["Pride and Prejudice - Jane Austen"]},
    )
    chapters = [services.ChapterFields(body=body) for _ in range(args.chapters)]
    work = services.create_work_with_chapters(
        owner=author, fields=fields, chapters=chapters, post=True
    )
    second = work.chapters.order_by("position")[1 if args.chapters > 1 else 0]
    url = reverse("works:chapter", args=[work.pk, second.pk])

    stranger = Client()
    logged_in = Client()
    logged_in.force_login(reader)
    etag = stranger.get(url)["ETag"]

    def move_version() -> None:
        Work.objects.filter(pk=work.pk).update(version=F("version") + 1)

    def ok(client: Client, status: int = 200, **headers: str) -> Callable[[], None]:
        def call() -> None:
            response = client.get(url, headers=headers)
            assert response.status_code == status, response.status_code

        return call

    rows = [
        ("rendered (cache miss)", timed(ok(Client()), args.runs, before=move_version)),
        ("cache hit", timed(ok(stranger), args.runs)),
    ]
    etag = stranger.get(url)["ETag"]
    rows.append(("304 (If-None-Match)", timed(ok(stranger, 304, if_none_match=etag), args.runs)))
    rows.append(("logged in (never cached)", timed(ok(logged_in), args.runs)))

    print(
        f"$ {' '.join([os.path.basename(sys.executable), '-m', 'bench.page_cache', *sys.argv[1:]])}"
    )
    print(f"chapter page, {args.chapters} chapters of ~{args.words} words, {args.runs} runs each")
    rendered = statistics.median(rows[0][1])
    print(f"{'':26} {'p50 ms':>8} {'p95 ms':>8} {'x rendered':>10}")
    for name, times in rows:
        ordered = sorted(times)
        p50 = statistics.median(ordered)
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        print(f"{name:26} {p50 * 1000:8.2f} {p95 * 1000:8.2f} {p50 / rendered:10.3f}")


if __name__ == "__main__":
    main()
