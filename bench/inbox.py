"""The inbox page at 10,000 entries for one person: p50/p95 ms over the test client.

In a throwaway, migrated SQLite archive (or the PostgreSQL of DATABASE_URL,
whose ``inbox`` rows it adds and then removes), one person receives 10,000
entries (comments and replies on chapters and whole works, from accounts and
guests, a third of them read) on 20 works. Then the whole inbox page (session,
header count, one keyset page of 50 entries, template) is fetched through
Django's test client: the first page, a page deep in the inbox (by cursor),
and the unread-only view, each after a warm-up; and, for the frame every
page pays (session, user, header, footer), the empty inbox of another account.

    .venv/bin/python -m bench.inbox [--entries 10000] [--requests 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import timedelta

if "DATABASE_URL" not in os.environ:
    os.environ["FANFOLD_DATA_DIR"] = tempfile.mkdtemp(prefix="fanfold-bench-inbox-")
os.environ.setdefault("FANFOLD_SECRET_KEY", "bench-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from fanfold.archive.inbox.models import InboxEntry, Kind  # noqa: E402
from fanfold.archive.inbox.selectors import cursor_of, entries_of  # noqa: E402
from fanfold.archive.people.models import User  # noqa: E402
from fanfold.archive.works import services  # noqa: E402
from fanfold.archive.works.models import Work  # noqa: E402

WORKS = 20


def _archive(entries: int) -> tuple[User, list[Work]]:
    call_command("migrate", verbosity=0)
    stamp = int(time.time())
    owner = User.objects.create_user(username=f"bench-inbox-{stamp}", password=None)
    actor = User.objects.create_user(username=f"bench-reader-{stamp}", password=None)
    works = [
        services.create_work(
            owner=owner,
            fields=services.WorkFields(title=f"Bench work {n}", rating="general"),
            first_chapter=services.ChapterFields(body="A chapter to comment on. " * 20),
            post=True,
        )
        for n in range(WORKS)
    ]
    chapters = {w.pk: w.chapters.first() for w in works}
    start = timezone.now() - timedelta(days=365)
    rows = [
        InboxEntry(
            recipient=owner,
            kind=Kind.REPLY if n % 4 == 0 else Kind.COMMENT,
            work=works[n % WORKS],
            chapter=chapters[works[n % WORKS].pk] if n % 2 else None,
            comment_id=n + 1,
            actor=actor if n % 3 else None,
            actor_name=actor.username if n % 3 else "A guest",
            excerpt=f"Comment {n}: I loved the way the harbour scene ended. " * 3,
            read_at=start if n % 3 == 0 else None,
        )
        for n in range(entries)
    ]
    InboxEntry.objects.bulk_create(rows, batch_size=1000)
    # Spread over a year, as an inbox fills (bulk_create stamps them all "now").
    for n, entry in enumerate(InboxEntry.objects.filter(recipient=owner).order_by("id")):
        entry.created_at = start + timedelta(minutes=50 * n)
        rows[n] = entry
    InboxEntry.objects.bulk_update(rows, ["created_at"], batch_size=1000)
    return owner, works


def _time(client: Client, url: str, requests: int) -> tuple[float, float]:
    for _ in range(3):  # warm-up
        assert client.get(url).status_code == 200
    timings = []
    for _ in range(requests):
        begin = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200
    p95 = statistics.quantiles(timings, n=20)[-1]
    return statistics.median(timings), p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    started = timezone.now()
    owner, works = _archive(args.entries)
    client = Client(HTTP_HOST="localhost")
    client.force_login(owner)
    deep = list(entries_of(owner)[args.entries // 2 :][:1])
    pages: list[tuple[str, str]] = [
        ("first page", "/inbox/"),
        ("deep page (by cursor)", f"/inbox/?older={cursor_of(deep[0])}"),
        ("unread only", "/inbox/?show=unread"),
    ]
    empty = Client(HTTP_HOST="localhost")
    empty.force_login(User.objects.create_user(username=f"bench-empty-{owner.pk}", password=None))
    print(f"inbox page, {args.entries:,} entries for one person, {args.requests} requests each")
    print("| page | p50 ms | p95 ms |")
    print("|---|---:|---:|")
    for name, url in pages:
        p50, p95 = _time(client, url, args.requests)
        print(f"| {name} | {p50:.1f} | {p95:.1f} |")
    p50, p95 = _time(empty, "/inbox/", args.requests)
    print(f"| an empty inbox (the page's frame) | {p50:.1f} | {p95:.1f} |")
    if "DATABASE_URL" in os.environ:  # leave a real archive as it was
        Work.objects.filter(pk__in=[w.pk for w in works]).delete()
        User.objects.filter(username__startswith="bench-", date_joined__gte=started).delete()


if __name__ == "__main__":
    main()
