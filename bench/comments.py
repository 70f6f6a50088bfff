"""The comment pages at 10,000 comments on one chapter: p50/p95 ms over the test client.

In a throwaway SQLite archive (or ``DATABASE_URL``'s database, whose tables
it fills, so use a scratch one), two one-chapter works: one with 100
comments, one with 10,000 (2,500 threads of a comment and three replies,
nested, by 200 accounts), and one with none. Each page is fetched ``REQUESTS`` times (after
two warm-up fetches) by a logged-in reader through Django's test client,
which runs the whole stack but the network: the first page of threads
(the work page itself), a middle page and the last page. The ratios to the
work without comments show what 20 threads cost and that 10,000 cost no more.

    .venv/bin/python -m bench.comments            # REQUESTS=30 by default
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from typing import Any

REQUESTS = int(os.environ.get("REQUESTS", "30"))
THREAD_SIZE = 4  # a comment and three replies, each answering the one before


def setup_django() -> None:
    os.environ.setdefault("FANFOLD_DATA_DIR", tempfile.mkdtemp(prefix="fanfold-bench-comments-"))
    os.environ.setdefault("FANFOLD_SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # The test client's host, allowed without setup_test_environment(), whose
    # instrumented template rendering would time itself more than the page.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)


def work_with_comments(title: str, count: int, writers: list[Any]) -> Any:
    """A posted one-chapter work with ``count`` comments in threads of four."""
    from fanfold.archive.comments.models import Comment
    from fanfold.archive.works import services
    from fanfold.archive.works.models import Work

    work = services.create_work(
        owner=writers[0],
        fields=services.WorkFields(title=title, rating="teen"),
        first_chapter=services.ChapterFields(body="The lantern swung in the wind. " * 200),
        post=True,
    )
    chapter = work.chapters.get()
    threads = count // THREAD_SIZE
    common = {"work": work, "chapter": chapter}
    roots = Comment.objects.bulk_create(
        [
            Comment(user=writers[n % len(writers)], body=f"<p>Thread {n}.</p>", **common)
            for n in range(threads)
        ],
        batch_size=500,
    )
    parents = roots
    for level in range(1, THREAD_SIZE):
        parents = Comment.objects.bulk_create(
            [
                Comment(
                    user=writers[(n + level) % len(writers)],
                    body=f"<p>Reply {level} in thread {n}.</p>",
                    parent=parent,
                    root=roots[n],
                    **common,
                )
                for n, parent in enumerate(parents)
            ],
            batch_size=500,
        )
    Work.objects.filter(pk=work.pk).update(comment_count=threads * THREAD_SIZE)
    return work


def timed(client: Any, url: str) -> tuple[float, float, int]:
    """p50 and p95 ms of ``REQUESTS`` fetches of ``url``, and its query count."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    p95 = statistics.quantiles(times, n=20)[-1]
    return statistics.median(times), p95, len(queries.captured_queries)


def main() -> None:
    setup_django()
    from django.db import connection
    from django.test import Client

    from fanfold.archive.comments.selectors import THREADS_PER_PAGE
    from fanfold.archive.people.models import User

    writers = [User.objects.create_user(f"bench{n}", password=None) for n in range(200)]
    bare = work_with_comments("No comments", 0, writers)
    small = work_with_comments("A hundred comments", 100, writers)
    large = work_with_comments("Ten thousand comments", 10_000, writers)
    reader = Client()
    reader.force_login(User.objects.create_user("benchreader", password=None))
    pages = -(-(10_000 // THREAD_SIZE) // THREADS_PER_PAGE)
    cases = [
        ("no comments", bare.get_absolute_url()),
        ("100 comments, first page", small.get_absolute_url()),
        ("10,000 comments, first page", large.get_absolute_url()),
        (
            f"10,000 comments, page {pages // 2}",
            f"{large.get_absolute_url()}?comments={pages // 2}",
        ),
        (f"10,000 comments, page {pages} (last)", f"{large.get_absolute_url()}?comments={pages}"),
    ]
    print(f"database: {connection.vendor}; {REQUESTS} requests each, logged-in reader")
    print(f"{'work page':<34} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    results = {}
    for label, url in cases:
        p50, p95, queries = timed(reader, url)
        results[label] = p50
        print(f"{label:<34} {p50:>8.1f} {p95:>8.1f} {queries:>8}")
    for label in ("100 comments, first page", "10,000 comments, first page"):
        print(f"{label} vs no comments (p50): {results[label] / results['no comments']:.2f}x")


if __name__ == "__main__":
    main()
