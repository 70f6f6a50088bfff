"""Tag autocomplete over many tags: what a writer waits for while typing a tag.

Builds --tags tags (100,000 by default) of each of the character and
fandom types, a fifth of them canonical, and asks
``tags.selectors.canonical_tags_starting`` for prefixes that match many
tags, a few, and none; then the suggestion endpoint (``tags:suggest``)
through Django's test Client, logged in. Prints p50 and p95 over --runs
calls (after one warm-up) and the query plan of one call.

SQLite by default (a throwaway file, removed after); with DATABASE_URL set,
that PostgreSQL database. Use a throwaway database: the rows stay behind.

    .venv/bin/python -m bench.tag_suggestions [--tags 100000] [--runs 200]
    DATABASE_URL=postgresql://... .venv/bin/python -m bench.tag_suggestions
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable

NAMES = ["Lexie", "Mark", "Meredith", "Derek", "Cristina", "Alex", "Izzie", "George"]


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL") and not os.environ.get("FANFOLD_DATA_DIR"):
        os.environ["FANFOLD_DATA_DIR"] = tempfile.mkdtemp(prefix="fanfold-bench-tags-")
        atexit.register(shutil.rmtree, os.environ["FANFOLD_DATA_DIR"], ignore_errors=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
    import django
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    call_command("migrate", verbosity=0)


def build(count: int) -> None:
    from django.db import connection, transaction

    from fanfold.archive.tags.models import Tag, TagType

    with transaction.atomic():
        for tag_type in (TagType.CHARACTER, TagType.FANDOM):
            Tag.objects.bulk_create(
                (
                    Tag(
                        type=tag_type,
                        name=f"{NAMES[n % len(NAMES)]} {tag_type.label} {n:06}",
                        is_canonical=n % 5 == 0,
                    )
                    for n in range(count)
                ),
                batch_size=2000,
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(call: Callable[[], object], runs: int) -> tuple[float, float]:
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from fanfold.archive.people.models import User
    from fanfold.archive.tags.models import Tag
    from fanfold.archive.tags.selectors import canonical_tags_starting

    build(args.tags)
    print(f"{connection.vendor}: {Tag.objects.count():,} tags, {args.runs} runs each")
    for prefix in ["Le", "Lexie Character 0001", "Zz"]:
        found = canonical_tags_starting(type="character", prefix=prefix)
        p50, p95 = timed(
            lambda p=prefix: canonical_tags_starting(type="character", prefix=p), args.runs
        )
        print(
            f"  selector {prefix!r:24} {len(found):2} found  p50 {p50:6.2f} ms  p95 {p95:6.2f} ms"
        )
    client = Client()
    client.force_login(User.objects.create_user("tag-bench"))
    url = reverse("tags:suggest", args=["character"])
    p50, p95 = timed(lambda: client.get(url, {"q": "Mark Sloan, Lexie Char"}), args.runs)
    print(f"  endpoint 'Mark Sloan, Lexie Char'        p50 {p50:6.2f} ms  p95 {p95:6.2f} ms")
    plan = Tag.objects.filter(type="character", is_canonical=True, name__istartswith="Lexie")
    print("  plan:", " | ".join(plan.order_by("name")[:10].explain().splitlines()))


if __name__ == "__main__":
    main()
