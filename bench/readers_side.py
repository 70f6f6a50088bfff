"""What the readers' side costs: the history page, a history write, a hit, a fan-out.

Builds a throwaway SQLite archive with one reader who has read ``--works``
works (rows made with ``bulk_create``: the page reads them, it does not
care how they came), then prints, over ``--runs`` requests each:

- the history page, first page and a deep page (keyset cursor), p50/p95 ms
  through Django's test client (the whole request: session, query, render);
- one history write for a returning reader (``record_reading``), p50/p95 ms;
- one page view's hit (``hits.record_hit``: memory only), p50/p95 µs, and a
  flush of one hit each for 1,000 works, ms;
- posting a chapter that 1,000 subscribers follow (the post, then
  ``tell_subscribers``: inbox entries and one email each, Django's locmem
  backend), ms.

    .venv/bin/python -m bench.readers_side [--works 10000] [--runs 200]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any


def setup() -> None:
    os.environ["FANFOLD_DATA_DIR"] = tempfile.mkdtemp(prefix="fanfold-bench-readers-")
    os.environ.setdefault("FANFOLD_SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)


def timed(call: Callable[[], Any], runs: int) -> list[float]:
    """Seconds per call, after one warm-up call."""
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def p50_p95(times: list[float], scale: float) -> str:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{statistics.median(ordered) * scale:8.2f} {p95 * scale:8.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    setup()

    from django.test import Client
    from django.utils import timezone

    from fanfold.archive.inbox.models import InboxEntry
    from fanfold.archive.people.models import User
    from fanfold.archive.reading import hits, selectors, services
    from fanfold.archive.reading.models import Reading, Subscription
    from fanfold.archive.works import services as works
    from fanfold.archive.works.models import Work

    author = User.objects.create_user("author")
    reader = User.objects.create_user("reader", email="reader@example.org")
    now = timezone.now()
    Work.objects.bulk_create(
        Work(owner=author, title=f"Work {n}", rating="general", is_draft=False, chapter_count=1)
        for n in range(args.works)
    )
    work_ids = list(Work.objects.values_list("pk", flat=True))
    Reading.objects.bulk_create(
        Reading(user=reader, work_id=pk, last_read_at=now - timezone.timedelta(seconds=n), visits=1)
        for n, pk in enumerate(work_ids)
    )
    client = Client()
    client.force_login(reader)
    deep = selectors.history_page(user=reader, size=args.works // 2).next_cursor or ""

    print(f"readers' side, {args.works:,} works in one reader's history, {args.runs} runs")
    print(f"{'':46}{'p50':>8} {'p95':>8}")
    first = timed(lambda: client.get("/history/"), args.runs)
    print(f"{'history page, first page (ms)':46}{p50_p95(first, 1e3)}")
    middle = timed(lambda: client.get("/history/", {"after": deep}), args.runs)
    print(f"{'history page, halfway down (ms)':46}{p50_p95(middle, 1e3)}")

    work = Work.objects.get(pk=work_ids[0])
    write = timed(lambda: services.record_reading(user=reader, work=work, chapter=None), args.runs)
    print(f"{'history write, returning reader (ms)':46}{p50_p95(write, 1e3)}")

    addresses = iter(range(10**9))
    hit = timed(
        lambda: hits.BUFFER.record(work_id=work.pk, visitor=f"g{next(addresses)}"), args.runs
    )
    print(f"{'a hit counted in memory (µs)':46}{p50_p95(hit, 1e6)}")
    hits.BUFFER.forget()
    for pk in work_ids[:1000]:
        hits.BUFFER.record(work_id=pk, visitor="a1")
    start = time.perf_counter()
    hits.flush()
    print(f"{'flush of 1,000 works (ms)':46}{(time.perf_counter() - start) * 1e3:8.2f}")

    posted = works.create_work(
        owner=author,
        fields=works.WorkFields(title="Followed", rating="general"),
        first_chapter=works.ChapterFields(body="The first chapter of a followed work."),
        post=True,
    )
    followers = User.objects.bulk_create(
        User(username=f"follower{n}", email=f"f{n}@example.org") for n in range(1000)
    )
    Subscription.objects.bulk_create(Subscription(user=u, work=posted) for u in followers)
    start = time.perf_counter()
    works.add_chapter(  # tells the subscribers once it commits (autocommit: at once)
        work=posted,
        by=author,
        fields=works.ChapterFields(body="A second chapter, for everyone."),
        post=True,
    )
    elapsed = (time.perf_counter() - start) * 1e3
    told = InboxEntry.objects.filter(work=posted).count()
    print(f"{f'a chapter posted to {told:,} subscribers (ms)':46}{elapsed:8.2f}")


if __name__ == "__main__":
    main()
