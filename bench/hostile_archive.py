"""The archive's side of ``bench.hostile``: saving, importing and searching as inputs grow.

Each case builds its input at 1x, 2x, 4x, 8x and 16x in a throwaway SQLite
archive and times one step: saving a chapter as it grows to the chapter
limit, importing a work as its chapters grow to 400, and rendering a search
results page (through Django's test client, the whole page) as the works
that match grow from 20 to 320, or as each matching work grows from 5,000
to 80,000 words.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

from bench.prose import Prose

_counter = itertools.count()


def setup_archive() -> Any:
    """A migrated throwaway SQLite archive; returns its owner account."""
    os.environ["FANFOLD_DATA_DIR"] = tempfile.mkdtemp(prefix="fanfold-bench-hostile-")
    os.environ.setdefault("FANFOLD_SECRET_KEY", "bench-only")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from fanfold.archive.people.models import User

    return User.objects.create_user(username="bench", password=None)


def _paragraphs(prose: Prose, words: int) -> str:
    return "".join(f"<p>{p}</p>\n" for p in prose.chapter(words=words).split("\n\n"))


def chapter_save(owner: Any) -> Callable[[int], Callable[[], object]]:
    """Posting a work whose one chapter grows: 31,000 characters at 1x, 496,000 at 16x."""
    from fanfold.archive.works import services

    prose = Prose(seed=11)
    text = _paragraphs(prose, 90_000)

    def at(scale: int) -> Callable[[], object]:
        body = text[: 31_000 * scale]
        fields = services.WorkFields(title=f"Growing {next(_counter)}", rating="teen")
        return lambda: services.create_work(
            owner=owner, fields=fields, first_chapter=services.ChapterFields(body=body), post=True
        )

    return at


def import_chapters(owner: Any) -> Callable[[int], Callable[[], object]]:
    """Importing a work of 25 chapters at 1x, 400 at 16x (2,000 words each)."""
    from fanfold.archive.works.importing import import_work
    from fanfold.formats.model import ParsedChapter, ParsedWork

    prose = Prose(seed=12)
    chapter = _paragraphs(prose, 2_000)

    def at(scale: int) -> Callable[[], object]:
        work = ParsedWork(
            title="Many Chapters",
            chapters=tuple(ParsedChapter(body=chapter, title=f"{n}") for n in range(25 * scale)),
        )
        return lambda: import_work(parsed=work, owner=owner, post=True)

    return at


def _matching_works(owner: Any, count: int, words: int, marker: str) -> None:
    from fanfold.archive.works import services

    prose = Prose(seed=13)
    for number in range(count):
        body = _paragraphs(prose, words) + f"<p>The {marker} flew over the harbour.</p>"
        services.create_work(
            owner=owner,
            fields=services.WorkFields(title=f"Harbour {number}", rating="general"),
            first_chapter=services.ChapterFields(body=body[:500_000]),
            post=True,
        )


def _search_page(marker: str) -> Callable[[], object]:
    from django.test import Client

    client = Client(HTTP_HOST="localhost")

    def page() -> object:
        response = client.get("/works/", {"q": marker})
        assert response.status_code == 200
        return response

    return page


def search_more_matches(owner: Any) -> Callable[[int], Callable[[], object]]:
    """A search page as the works matching grow: 20 at 1x, 320 at 16x (5,000 words each)."""
    made: list[int] = [0]

    def at(scale: int) -> Callable[[], object]:
        _matching_works(owner, 20 * scale - made[0], 5_000, "cormorant")
        made[0] = 20 * scale
        return _search_page("cormorant")

    return at


def search_longer_matches(owner: Any) -> Callable[[int], Callable[[], object]]:
    """A search page of 20 matching works as each grows: 5,000 words at 1x, 80,000 at 16x."""

    def at(scale: int) -> Callable[[], object]:
        marker = f"heron{scale}x"
        _matching_works(owner, 20, 5_000 * scale, marker)
        return _search_page(marker)

    return at


def cases(owner: Any) -> Iterator[tuple[str, str, Callable[[int], Callable[[], object]]]]:
    yield "save one chapter (31k to 496k chars)", "chars", chapter_save(owner)
    yield "import a work (25 to 400 chapters)", "chapters", import_chapters(owner)
    yield "search page, matches grow (20 to 320 works)", "works", search_more_matches(owner)
    yield "search page, matches lengthen (5k to 80k words)", "words", search_longer_matches(owner)
