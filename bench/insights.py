"""Background reading: what a worker gets through, and what it costs the author who posts.

1. **Worker throughput.** --works works of --chapters generated chapters
   (bench/prose.py, about --words words each) are posted through the works
   services, which queue one reading job each; then django-tasks-db's own
   worker (as ``fanfold worker --batch`` runs it) works through the queue
   in this process. Printed: works, chapters and words per second of wall
   time, and the engine's share of it.
2. **Posting latency, reading on and off.** The author posts a new chapter
   through the add-chapter page (Django's test Client, in process: the whole
   request, its transaction and the job it queues), alternately to a work
   with reading on and one with it off, --posts times each. Printed: the
   median and p90 of each and their ratio, measured in the same run.

SQLite in a throwaway directory by default; with DATABASE_URL set, that
PostgreSQL database (use a throwaway one: the rows stay behind).

    .venv/bin/python -m bench.insights [--works 30] [--chapters 3] [--words 2000] [--posts 40]
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import tempfile
import time

from bench.prose import Prose


def setup_django() -> None:
    if not os.environ.get("DATABASE_URL") and not os.environ.get("FANFOLD_DATA_DIR"):
        os.environ["FANFOLD_DATA_DIR"] = tempfile.mkdtemp(prefix="fanfold-bench-insights-")
        atexit.register(shutil.rmtree, os.environ["FANFOLD_DATA_DIR"], ignore_errors=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
    import django
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()  # the test Client's host name is allowed
    call_command("migrate", verbosity=0)


def post_works(count: int, chapters: int, words: int) -> int:
    """Post ``count`` works through the services (each queues its reading); words posted."""
    from fanfold.archive.people.models import User
    from fanfold.archive.tags.models import TagType
    from fanfold.archive.works import services
    from fanfold.archive.works.models import Rating

    author = User.objects.create_user("insights-bench")
    prose = Prose(seed=13)
    total = 0
    for number in range(count):
        bodies = [prose.chapter(words=words) for _ in range(chapters)]
        total += sum(len(body.split()) for body in bodies)
        services.create_work_with_chapters(
            owner=author,
            fields=services.WorkFields(
                title=f"Bench work {number}",
                rating=Rating.GENERAL,
                tags={TagType.FANDOM: ["Bench Fandom"]},
            ),
            chapters=[services.ChapterFields(body=body) for body in bodies],
            post=True,
        )
    return total


def run_worker() -> float:
    """Work through the queue with the real worker; seconds of wall time."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="bench",
        excluded_queue_names=[],
    )
    started = time.perf_counter()
    worker.run()
    return time.perf_counter() - started


def posting_latency(posts: int, words: int) -> dict[bool, list[float]]:
    """Seconds per add-chapter POST, for a work with reading on and one with it off."""
    from django.test import Client
    from django.urls import reverse

    from fanfold.archive.people.models import User
    from fanfold.archive.works import services
    from fanfold.archive.works.models import Rating

    author = User.objects.create_user("insights-bench-poster")
    client = Client()
    client.force_login(author)
    prose = Prose(seed=29)
    works = {
        enabled: services.create_work(
            owner=author,
            fields=services.WorkFields(
                title=f"Reading {'on' if enabled else 'off'}",
                rating=Rating.GENERAL,
                analysis_enabled=enabled,
            ),
            first_chapter=services.ChapterFields(body=prose.chapter(words=words)),
            post=True,
        )
        for enabled in (True, False)
    }
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(posts):
        body = prose.chapter(words=words)
        for enabled, work in works.items():
            url = reverse("works:chapter_new", args=[work.pk])
            started = time.perf_counter()
            response = client.post(url, {"body": body, "action": "post"})
            times[enabled].append(time.perf_counter() - started)
            assert response.status_code == 302, response.status_code
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=30)
    parser.add_argument("--chapters", type=int, default=3)
    parser.add_argument("--words", type=int, default=2000)
    parser.add_argument("--posts", type=int, default=40)
    args = parser.parse_args()
    setup_django()
    from fanfold.archive.insights.models import AnalysisState, WorkAnalysis

    words = post_works(args.works, args.chapters, args.words)
    seconds = run_worker()
    read = WorkAnalysis.objects.filter(state=AnalysisState.DONE)
    engine = sum(read.values_list("seconds", flat=True))
    chapters = args.works * args.chapters
    print(
        f"worker: {read.count()}/{args.works} works, {chapters} chapters, {words:,} words"
        f" in {seconds:.2f} s"
    )
    print(
        f"  {chapters / seconds:.1f} chapters/s, {args.works / seconds:.2f} works/s,"
        f" {words / seconds:,.0f} words/s; the engine {engine / seconds:.0%} of the time"
    )

    times = posting_latency(args.posts, args.words)
    on, off = (statistics.median(times[flag]) * 1000 for flag in (True, False))
    p90 = {flag: statistics.quantiles(times[flag], n=10)[-1] * 1000 for flag in (True, False)}
    print(
        f"posting a {args.words}-word chapter (add-chapter page, {args.posts} posts each,"
        " alternating):"
    )
    print(f"  reading on:  median {on:.1f} ms, p90 {p90[True]:.1f} ms")
    print(f"  reading off: median {off:.1f} ms, p90 {p90[False]:.1f} ms")
    print(f"  ratio on/off (medians): {on / off:.2f}")


if __name__ == "__main__":
    main()
