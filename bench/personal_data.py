"""A person's data download at 20 and 200 works: build time and peak memory of the worker.

In a throwaway, migrated SQLite archive, one account posts N works of three
chapters (about 3,000 words each) and leaves kudos, bookmarks and comments on
another's works; then the export zip is written exactly as the worker writes
it (``personal_data.exports.write_export``), timed, with Python's peak traced
memory (tracemalloc). Time should grow with the works; peak memory should
not (one work in memory at a time), so the ratio of peaks is the figure.

    .venv/bin/python -m bench.personal_data [--works 20 200]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import tracemalloc
from pathlib import Path

os.environ["FANFOLD_DATA_DIR"] = tempfile.mkdtemp(prefix="fanfold-bench-export-")
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("FANFOLD_SECRET_KEY", "bench-only")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from fanfold.archive.comments.services import post_comment  # noqa: E402
from fanfold.archive.people.models import User  # noqa: E402
from fanfold.archive.personal_data.exports import write_export  # noqa: E402
from fanfold.archive.reading import services as reading  # noqa: E402
from fanfold.archive.works import services  # noqa: E402
from fanfold.archive.works.models import Work  # noqa: E402

PARAGRAPH = "The tide came in over the salt road, and she walked it anyway. " * 16


def _work(owner: User, title: str) -> Work:
    work = services.create_work(
        owner=owner,
        fields=services.WorkFields(title=title, rating="general"),
        first_chapter=services.ChapterFields(body="\n\n".join([PARAGRAPH] * 8)),
        post=True,
    )
    for _ in range(2):
        services.add_chapter(
            work=work,
            by=owner,
            fields=services.ChapterFields(body="\n\n".join([PARAGRAPH] * 8)),
            post=True,
        )
    return work


def _account(works: int, stamp: str) -> User:
    person = User.objects.create_user(username=f"bench-export-{stamp}", password=None)
    other = User.objects.create_user(username=f"bench-other-{stamp}", password=None)
    for n in range(works):
        _work(person, f"Bench work {n}")
        theirs = _work(other, f"Their work {n}")
        reading.leave_kudos(work=theirs, user=person)
        reading.save_bookmark(user=person, work=theirs, fields=reading.BookmarkFields())
        cache.clear()  # the comment rate limit (5 a minute) is not what is measured
        post_comment(work=theirs, body="A comment. " * 20, user=person, address="bench")
    return person


def _measure(person: User, folder: Path) -> tuple[float, int, int]:
    path = folder / f"{person.pk}.zip"
    tracemalloc.start()
    started = time.perf_counter()
    write_export(person, path, when=timezone.now())
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return seconds, peak, path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, nargs="+", default=[20, 200])
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    folder = Path(os.environ["FANFOLD_DATA_DIR"])
    peaks = []
    for count in args.works:
        person = _account(count, f"{count}-{int(time.time())}")
        seconds, peak, size = _measure(person, folder)
        peaks.append(peak)
        print(
            f"{count:>4} works: {seconds:6.2f} s, {seconds / count * 1000:6.1f} ms a work,"
            f" peak {peak / 2**20:6.1f} MiB, zip {size / 2**20:6.1f} MiB"
        )
    if len(peaks) > 1:
        print(f"peak memory, most works / fewest: {peaks[-1] / peaks[0]:.2f}x")


if __name__ == "__main__":
    main()
