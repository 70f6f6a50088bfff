"""The archive's cases of ``bench.hostile``: saving, importing and searching as inputs grow.

In a throwaway SQLite archive, made when the first of these cases runs:
saving a chapter as it grows to the chapter limit, importing a work as its
chapters grow to 400, and a whole search results page (through Django's
test client) as the works that match grow from 20 to 320, or as each of
them grows from 5,000 to 80,000 words. Works made to search are made
before the step is timed, never in it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from typing import Any

from bench.prose import Prose

Step = Callable[[], object]


_owner: list[Any] = []


def owner() -> Any:
    """The account of a migrated throwaway SQLite archive, made on first use."""
    if _owner:
        return _owner[0]
    os.environ["FANFOLD_DATA_DIR"] = tempfile.mkdtemp(prefix="fanfold-bench-hostile-")
    os.environ.setdefault("FANFOLD_SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from fanfold.archive.people.models import User

    _owner.append(User.objects.create_user(username="bench", password=None))
    return _owner[0]


def close_connections() -> None:
    """Before a fork: a child must open its own database connection, never share one."""
    if _owner:
        from django.db import connections

        connections.close_all()


def _paragraphs(prose: Prose, words: int) -> str:
    return "".join(f"<p>{p}</p>\n" for p in prose.chapter(words=words).split("\n\n"))


def chapter_save(scale: int) -> tuple[str, Step]:
    """Posting a work whose one chapter grows: 31,000 characters at 1x, 496,000 at 16x."""
    author = owner()  # Django first
    from fanfold.archive.works import services

    body = _paragraphs(Prose(seed=11), 6_000 * scale)[: 31_000 * scale]
    fields = services.WorkFields(title="Growing", rating="teen")
    chapter = services.ChapterFields(body=body)
    return f"{len(body):,} characters", lambda: services.create_work(
        owner=author, fields=fields, first_chapter=chapter, post=True
    )


def import_chapters(scale: int) -> tuple[str, Step]:
    """Importing a work of 25 chapters at 1x, 400 at 16x (2,000 words each)."""
    author = owner()  # Django first
    from fanfold.archive.works.importing import import_work
    from fanfold.formats.model import ParsedChapter, ParsedWork

    chapter = _paragraphs(Prose(seed=12), 2_000)
    count = 25 * scale
    work = ParsedWork(
        title="Many Chapters",
        chapters=tuple(ParsedChapter(body=chapter, title=f"{n}") for n in range(count)),
    )
    return f"{count:,} chapters", lambda: import_work(parsed=work, owner=author, post=True)


def _post_matching_works(count: int, words: int, marker: str) -> None:
    author = owner()  # Django first
    from fanfold.archive.works import services

    prose = Prose(seed=13)
    for number in range(count):
        body = _paragraphs(prose, words) + f"<p>The {marker} flew over the harbour.</p>"
        services.create_work(
            owner=author,
            fields=services.WorkFields(title=f"Harbour {number}", rating="general"),
            first_chapter=services.ChapterFields(body=body[:500_000]),
            post=True,
        )


def _search_page(marker: str) -> Step:
    owner()  # Django first
    from django.test import Client

    client = Client(HTTP_HOST="localhost")

    def page() -> object:
        response = client.get("/works/", {"q": marker})
        assert response.status_code == 200
        return response

    return page


_posted: dict[str, int] = {}


def search_more_matches(scale: int) -> tuple[str, Step]:
    """A search page as the works matching grow: 20 at 1x, 320 at 16x (5,000 words each)."""
    wanted = 20 * scale
    _post_matching_works(wanted - _posted.get("cormorant", 0), 5_000, "cormorant")
    _posted["cormorant"] = wanted
    return f"{wanted:,} matching works", _search_page("cormorant")


def search_longer_matches(scale: int) -> tuple[str, Step]:
    """A search page of 20 matching works as each grows: 5,000 words at 1x, 80,000 at 16x."""
    marker = f"heron{scale}x"
    _post_matching_works(20, 5_000 * scale, marker)
    return f"20 works of {5_000 * scale:,} words", _search_page(marker)
