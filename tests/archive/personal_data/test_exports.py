"""What a person's data download holds.

``personal_data.exports`` promises a zip with the profile; each of the
person's works, drafts too, as a valid EPUB (mimetype first, stored) and as
JSON holding every chapter's text and notes, tags and series; their series,
comments, bookmarks, kudos and subscriptions; and of other people's works
only what the person may still read: nothing of anyone's draft.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fanfold.archive.people.models import User
from fanfold.archive.personal_data import exports
from tests.archive.factories import make_work
from tests.archive.personal_data.conftest import Shelf

pytestmark = pytest.mark.django_db


def export_of(user: User, tmp_path: Path) -> zipfile.ZipFile:
    path = tmp_path / "export.zip"
    exports.write_export(user, path, when=timezone.now())
    return zipfile.ZipFile(path)


def read_json(book: zipfile.ZipFile, name: str) -> Any:
    return json.loads(book.read(name))


def test_each_work_is_a_valid_epub_and_a_json_with_every_chapter(
    author: User, shelf: Shelf, tmp_path: Path
) -> None:
    book = export_of(author, tmp_path)
    names = book.namelist()
    posted = f"works/{shelf.posted.pk}-Salt_Roads"
    assert f"{posted}.epub" in names
    assert f"works/{shelf.draft.pk}-Unfinished_Harbour.epub" in names  # drafts are theirs too
    epub = zipfile.ZipFile(io.BytesIO(book.read(f"{posted}.epub")))
    first = epub.infolist()[0]
    assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    assert epub.read("mimetype") == b"application/epub+zip"
    assert epub.testzip() is None
    work = read_json(book, f"{posted}.json")
    assert work["title"] == "Salt Roads"
    assert [chapter["position"] for chapter in work["chapters"]] == [1, 2]
    assert "The tide came in over the salt road." in work["chapters"][0]["text"]
    assert "Thanks to my beta." in work["chapters"][0]["notes"]
    assert work["tags"]["fandom"] == ["Pride and Prejudice - Jane Austen"]
    assert work["series"] == [{"id": shelf.series.pk, "title": "The Coast", "part": 1}]


def test_the_lists_hold_what_the_person_wrote_and_follows(
    author: User, shelf: Shelf, tmp_path: Path
) -> None:
    book = export_of(author, tmp_path)
    assert read_json(book, "profile.json")["username"] == "author"
    [comment] = read_json(book, "comments.json")
    assert "I loved the lamp." in comment["text"]
    assert comment["work"]["title"] == "Lighthouse"
    bookmarks = read_json(book, "bookmarks.json")
    assert [b["tags"] for b in bookmarks] == [["cosy"], []]
    assert [s["work"]["title"] for s in read_json(book, "subscriptions.json")] == ["Lighthouse"]
    [series] = read_json(book, "series.json")
    assert series["parts"][0]["work"]["title"] == "Salt Roads"
    assert len(read_json(book, "kudos.json")) == 2
    assert "README.txt" in book.namelist()


def test_nothing_of_another_persons_draft_reaches_the_export(
    author: User, shelf: Shelf, tmp_path: Path
) -> None:
    book = export_of(author, tmp_path)
    everything = b"".join(book.read(name) for name in book.namelist())
    assert b"Their Secret" not in everything
    assert b"SECRET-LINE-OF-OTHER" not in everything
    kudos = read_json(book, "kudos.json")
    assert {"id": shelf.their_secret.pk, "title": None, "author": None, "available": False} in [
        k["work"] for k in kudos
    ]


def test_an_export_of_the_other_person_holds_none_of_the_authors_works(
    shelf: Shelf, tmp_path: Path
) -> None:
    book = export_of(shelf.other, tmp_path)
    everything = b"".join(book.read(name) for name in book.namelist())
    assert b"Unfinished Harbour" not in everything
    assert b"Salt Roads" not in everything


def test_the_export_costs_a_few_queries_per_work_and_none_per_row_of_the_lists(
    author: User, shelf: Shelf, tmp_path: Path
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            exports.write_export(author, tmp_path / "q.zip", when=timezone.now())
        return len(context.captured_queries)

    before = queries()
    make_work(owner=author, title="One More")
    assert queries() - before <= 2  # the new work's chapters (and its EPUB's reads)
