"""Importing works: upload, preview and correct, then post; and `fanfold import`."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.tags.models import TagType
from fanfold.archive.works.models import Work
from fanfold.formats.model import ParsedChapter, ParsedWork, SeriesRef
from fanfold.formats.writers import write_epub
from tests.archive.factories import make_work
from tests.conftest import SEEDS

# Two chapters of our own, named in the reverse of story order, each with notes.
CHAPTER_ONE = """A/N: My first fic for this fandom! Be gentle.

Disclaimer: I don't own Pride and Prejudice.

Chapter 1: The Lane

Elizabeth walked out before breakfast, as she always did when the house was too full.

The lane was quiet. She had almost reached the stile when she heard a horse behind her.

"You are early," said Mr. Darcy, and dismounted.

"And you are lost, sir. Pemberley is a long way from here."

A/N: Please review! The next chapter is already half written.
"""
CHAPTER_TWO = """A/N: Thank you for all the reviews on the last chapter!

Chapter 2: The Stile

Mr. Darcy led the horse a little way behind her, as though it had been his idea to walk.

"I came to apologise," he said at last.

Elizabeth stopped at the stile and turned. "For which part?"

He considered it seriously, which she had not expected. "For all of it, I think."
"""


def upload(client: Client, *files: tuple[str, bytes]) -> Any:
    return client.post(
        reverse("works:import"),
        {"upload": [SimpleUploadedFile(name, data) for name, data in files]},
    )


def preview_form(client: Client, preview_url: str) -> dict[str, Any]:
    """The preview form's fields as the page fills them in (what a browser would send)."""
    page = client.get(preview_url).content.decode()
    data: dict[str, Any] = {}
    for match in re.finditer(r"<input [^>]*>", page):
        tag = match.group(0)
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name is None or name.group(1) == "csrfmiddlewaretoken":
            continue
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                data.setdefault(name.group(1), []).append(value.group(1) if value else "on")
            continue
        data[name.group(1)] = value.group(1) if value else ""
    for match in re.finditer(r'<textarea name="([^"]+)"[^>]*>\s*([^<]*)</textarea>', page):
        data[match.group(1)] = match.group(2)
    for match in re.finditer(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', match.group(2))
        data[match.group(1)] = chosen.group(1) if chosen else ""
    return data


def import_reversed_chapters(client: Client) -> str:
    response = upload(
        client, ("002_part.txt", CHAPTER_ONE.encode()), ("001_part.txt", CHAPTER_TWO.encode())
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def test_an_author_imports_chapter_files_in_story_order_with_notes_apart(
    as_author: Client, author: User
) -> None:
    preview_url = import_reversed_chapters(as_author)
    page = as_author.get(preview_url).content.decode()
    assert page.index("The Lane") < page.index("The Stile")
    assert "My first fic for this fandom" in page
    assert not Work.objects.exists()  # nothing is created before the author confirms

    data = preview_form(as_author, preview_url)
    data.update(
        {"work-fandoms": "Pride and Prejudice - Jane Austen", "work-rating": "general"},
        action="post",
    )
    response = as_author.post(preview_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    work = Work.objects.get()
    first, second = work.chapters.order_by("position")
    assert "Elizabeth walked out before breakfast" in first.body
    assert "My first fic" not in first.body
    assert "My first fic" in first.notes
    assert "Please review" in first.end_notes
    assert "I came to apologise" in second.body
    assert not work.is_draft


def test_the_author_can_put_notes_back_into_the_story_and_reorder(
    as_author: Client, author: User
) -> None:
    preview_url = import_reversed_chapters(as_author)
    data = preview_form(as_author, preview_url)
    positions = sorted(k for k in data if k.startswith("order-position_"))
    data[positions[0]], data[positions[1]] = data[positions[1]], data[positions[0]]
    data.pop("notes-notes_0", None)  # untick: chapter 1's notes are story after all
    data.update({"work-fandoms": "Pride and Prejudice - Jane Austen", "work-rating": "general"})
    data["action"] = "draft"
    assert as_author.post(preview_url, data).status_code == 302
    work = Work.objects.get()
    first, second = work.chapters.order_by("position")
    assert "I came to apologise" in first.body
    assert "My first fic" in second.body
    assert not second.notes
    assert work.is_draft


def test_a_bad_correction_keeps_what_was_typed_and_creates_nothing(as_author: Client) -> None:
    preview_url = import_reversed_chapters(as_author)
    data = preview_form(as_author, preview_url)
    data.update({"work-fandoms": "", "work-title": "My corrected title", "action": "post"})
    response = as_author.post(preview_url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "This field is required" in page
    assert "My corrected title" in page
    assert not Work.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("picture.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "picture.png"),
        ("book.epub", b"PK\x03\x04 not really a zip", "book.epub"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_by_name(
    as_author: Client, name: str, data: bytes, reason: str
) -> None:
    response = upload(as_author, (name, data))
    assert response.status_code == 200
    assert reason in response.content.decode()
    assert not Work.objects.exists()


def test_an_exported_epub_imports_with_its_tags_notes_and_series(
    as_author: Client, author: User
) -> None:
    book = write_epub(
        ParsedWork(
            title="Letters from Kent",
            creators=("someone",),
            summary="<p>Letters, mostly.</p>",
            rating="Teen And Up Audiences",
            warnings=("No Archive Warnings Apply",),
            categories=("F/M",),
            fandoms=("Pride and Prejudice - Jane Austen",),
            relationships=("Elizabeth Bennet/Fitzwilliam Darcy",),
            characters=("Elizabeth Bennet", "Fitzwilliam Darcy"),
            freeforms=("Epistolary",),
            language="en",
            series=(SeriesRef("Kent Letters", 1),),
            chapters=(
                ParsedChapter(
                    title="The First Letter",
                    notes="<p>Written in one sitting.</p>",
                    body="<p>Dear Jane, the rectory is very small and very clean.</p>",
                ),
                ParsedChapter(
                    title="The Second Letter",
                    body="<p>Dear Jane, I have had a most extraordinary morning.</p>",
                    end_notes="<p>More letters soon.</p>",
                ),
            ),
        )
    )
    response = upload(as_author, ("letters.epub", book))
    assert response.status_code == 302
    data = preview_form(as_author, str(response["Location"]))
    data["action"] = "post"
    assert as_author.post(str(response["Location"]), data).status_code == 302
    work = Work.objects.get()
    names = {(t.type, t.name) for t in work.tags.all()}
    assert (TagType.RELATIONSHIP, "Elizabeth Bennet/Fitzwilliam Darcy") in names
    assert (TagType.FREEFORM, "Epistolary") in names
    assert work.rating == "teen"
    first, second = work.chapters.order_by("position")
    assert first.title == "The First Letter"
    assert "one sitting" in first.notes
    assert "More letters soon" in second.end_notes


def test_importing_needs_an_account(as_stranger: Client) -> None:
    response = as_stranger.get(reverse("works:import"))
    assert response.status_code == 302
    assert reverse("people:login") in response["Location"]


def test_another_authors_upload_is_not_found(as_author: Client, as_reader: Client) -> None:
    preview_url = import_reversed_chapters(as_author)
    assert as_reader.get(preview_url).status_code == 404
    assert as_author.get(preview_url).status_code == 200


def test_a_made_up_upload_token_is_not_found(as_author: Client) -> None:
    for token in ["nope", "..", "a%2F..%2Fb"]:
        response = as_author.get(f"/works/import/{token}/")
        assert response.status_code == 404


# The command line -----------------------------------------------------------


def run_import(*args: str) -> str:
    out = StringIO()
    call_command("import_works", *args, stdout=out)
    return out.getvalue()


def test_fanfold_import_reads_chapter_files_as_one_work(tmp_path: Path, author: User) -> None:
    (tmp_path / "b.txt").write_text(CHAPTER_ONE)
    (tmp_path / "a.txt").write_text(CHAPTER_TWO)
    output = run_import(str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--as", "author")
    assert "Imported 1 work(s)" in output
    work = Work.objects.get()
    assert [c.title for c in work.chapters.order_by("position")] == ["The Lane", "The Stile"]


def test_fanfold_import_dry_run_saves_nothing(tmp_path: Path, author: User) -> None:
    (tmp_path / "one.txt").write_text(CHAPTER_ONE)
    output = run_import(str(tmp_path / "one.txt"), "--as", "author", "--dry-run")
    assert "Would import 1 work(s)" in output
    assert not Work.objects.exists()


def test_fanfold_import_reports_a_broken_file_by_name_and_imports_the_rest(
    tmp_path: Path, author: User
) -> None:
    (tmp_path / "broken.epub").write_bytes(b"PK\x03\x04 broken")
    make_work(owner=author, title="Already here")
    existing = Work.objects.count()
    (tmp_path / "ok.txt").write_text(CHAPTER_ONE)
    with pytest.raises(CommandError, match="1 file"):
        run_import(str(tmp_path / "broken.epub"), str(tmp_path / "ok.txt"), "--as", "author")
    assert Work.objects.count() == existing + 1


def test_fanfold_import_needs_an_owner(tmp_path: Path, db: None) -> None:
    (tmp_path / "one.txt").write_text(CHAPTER_ONE)
    with pytest.raises(CommandError, match="--as"):
        run_import(str(tmp_path / "one.txt"))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not here")
def test_the_seeds_import_as_taking_chances_in_story_order(author: User) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    run_import(*map(str, seeds), "--as", "author")
    work = Work.objects.get()
    first, second = work.chapters.order_by("position")
    assert "Mark Sloan turned the key" in first.body
    assert "if you're reading my other story" not in first.body
    assert "my other story" in first.notes
    assert "Mark cornered Derek" in second.body
    assert "I don't own anything" not in first.body + second.body


def test_fanfold_import_moves_a_whole_efiction_archive(tmp_path: Path, db: None) -> None:
    from tests.formats.readers.test_efiction import write_export

    folder = write_export(tmp_path / "old-archive")
    output = run_import(str(folder))
    assert "Imported" in output
    works = Work.objects.select_related("owner")
    assert works.exists()
    for work in works:
        assert not work.owner.has_usable_password()
        assert work.chapters.exists()
