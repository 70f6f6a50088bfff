"""The hostile suite: valid but hostile content must never take a page down.

Every test here is marked ``hostile`` (``pytest -m hostile`` runs just
these) and uses the archive's personas. ``pages_of`` lists every page a
work, its tags and its author show up on, so a test can walk them all.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from lxml import etree

from fanfold.archive.works.models import Work
from tests.archive.conftest import (  # noqa: F401 (fixtures)
    admin,
    as_admin,
    as_author,
    as_reader,
    as_stranger,
    author,
    own_data_dir,
    reader,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/hostile/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.hostile)


def browser_path(url: str) -> str:
    """The path a browser asks for when it follows ``url`` (dot segments resolved)."""
    resolved = urlsplit(urljoin("http://archive.test/", url))
    return resolved.path + (f"?{resolved.query}" if resolved.query else "")


def pages_of(work: Work) -> Iterator[str]:
    """Every page that shows the work, its chapters, its tags or its author."""
    yield reverse("search:home")
    yield reverse("search:works")
    yield reverse("search:works") + "?q=morning"
    yield reverse("tags:fandoms")
    yield reverse("tags:fandoms_of_media", args=["uncategorized"])
    yield work.get_absolute_url()
    yield reverse("works:full", args=[work.pk])
    yield reverse("works:navigate", args=[work.pk])
    for chapter in work.chapters.all():
        yield chapter.get_absolute_url()
    yield reverse("works:author", args=[work.owner.username])
    for tag in work.tags.all():
        yield browser_path(tag.get_absolute_url())
    for part in work.series_parts.all():
        yield part.series.get_absolute_url()


def author_pages_of(work: Work) -> Iterator[str]:
    """The pages only the work's author opens."""
    yield reverse("works:edit", args=[work.pk])
    for chapter in work.chapters.all():
        yield reverse("works:chapter_edit", args=[work.pk, chapter.pk])
    yield reverse("works:chapter_order", args=[work.pk])


def wrangler_pages_of(work: Work) -> Iterator[str]:
    for tag in work.tags.all():
        yield browser_path(reverse("tags:wrangle", args=[tag.type, tag.name]))


def assert_pages_answer(client: Client, urls: Iterator[str]) -> None:
    """Each page answers 200; the test client raises on a server error."""
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, f"{url} answered {response.status_code}"


def assert_epub_parses(data: bytes) -> None:
    """Every XML document of the book parses (an e-reader refuses a book where one does not)."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for name in book.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                etree.fromstring(book.read(name))
