"""Imports keep the forms' limits, and what waits for confirmation is bounded."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fanfold.archive.people.models import User
from fanfold.archive.works import services, uploads
from fanfold.archive.works.importing import create_imported_work, import_work, work_fields_for
from fanfold.archive.works.models import CHAPTER_BODY_MAX, PendingUpload, Work
from fanfold.formats.model import ParsedChapter, ParsedWork
from fanfold.formats.writers import write_epub
from tests.archive.factories import make_work
from tests.archive.works.test_importing import CHAPTER_ONE, CHAPTER_TWO, upload
from tests.hostile.conftest import assert_pages_answer, pages_of


def book_with_long_chapter(characters: int) -> bytes:
    """An EPUB whose second chapter has ``characters`` characters of text."""
    words = "The rain went on. " * (characters // 18 + 1)
    return write_epub(
        ParsedWork(
            title="The Long Rain",
            chapters=(
                ParsedChapter(body="<p>It began to rain on a Tuesday.</p>", title="Tuesday"),
                ParsedChapter(body=f"<p>{words[:characters]}</p>", title="And After"),
            ),
        )
    )


def test_a_web_import_with_a_chapter_over_the_limit_is_refused_naming_it(
    as_author: Client,
) -> None:
    response = upload(as_author, ("long-rain.epub", book_with_long_chapter(CHAPTER_BODY_MAX + 10)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "long-rain.epub, chapter 2: its text has 510,017 characters" in page
    assert "at most 510,000 are allowed" in page
    assert not PendingUpload.objects.exists()
    assert not Work.objects.exists()


def test_the_command_line_refuses_a_chapter_over_the_limit(
    tmp_path: Path, author: User, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "long-rain.epub"
    path.write_bytes(book_with_long_chapter(CHAPTER_BODY_MAX + 10))
    with pytest.raises(CommandError, match="could not be imported"):
        call_command("import_works", str(path), "--as", "author", stdout=StringIO())
    assert "long-rain.epub, chapter 2: its text has 510,017 characters" in capsys.readouterr().err
    assert not Work.objects.exists()


def test_a_text_file_longer_than_any_chapter_is_refused_before_it_is_read(
    as_author: Client,
) -> None:
    text = ("It rained. " * 60_000).encode()
    response = upload(as_author, ("everything.txt", text))
    page = response.content.decode()
    assert "everything.txt: it has 660,000 characters" in page
    assert "split it into one file per chapter" in page
    assert not PendingUpload.objects.exists()


def test_a_work_cannot_grow_past_its_text_limit(
    author: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "WORK_TEXT_MAX", 200)
    work = make_work(owner=author, body="A short first chapter, well within the limit.")
    with pytest.raises(ValidationError, match="The whole work has"):
        services.add_chapter(
            work=work, by=author, fields=services.ChapterFields(body="word " * 40), post=True
        )
    assert work.chapters.count() == 1


def test_a_work_cannot_have_more_chapters_than_the_limit(
    author: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "CHAPTERS_MAX", 2)
    work = make_work(owner=author, chapters=2)
    with pytest.raises(ValidationError, match="at most 2 chapters"):
        services.add_chapter(
            work=work, by=author, fields=services.ChapterFields(body="One more chapter."), post=True
        )


def test_an_author_may_keep_only_so_many_imports_waiting(as_author: Client) -> None:
    for _ in range(uploads.MAX_PENDING_PER_AUTHOR):
        assert upload(as_author, ("rain.txt", CHAPTER_ONE.encode())).status_code == 302
    refused = upload(as_author, ("rain.txt", CHAPTER_TWO.encode()))
    assert refused.status_code == 200
    assert "confirm or cancel one of them first" in refused.content.decode()
    assert PendingUpload.objects.count() == uploads.MAX_PENDING_PER_AUTHOR
    token = PendingUpload.objects.first().token  # type: ignore[union-attr]
    as_author.post(reverse("works:import_cancel", args=[token]))
    assert upload(as_author, ("rain.txt", CHAPTER_TWO.encode())).status_code == 302


def test_imports_waiting_are_bounded_in_bytes_too(
    as_author: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert upload(as_author, ("one.txt", CHAPTER_ONE.encode())).status_code == 302
    kept = PendingUpload.objects.get().size
    monkeypatch.setattr(uploads, "MAX_PENDING_BYTES_PER_AUTHOR", kept + 100)
    refused = upload(as_author, ("one-again.txt", CHAPTER_ONE.encode()))
    assert f"at most {filesizeformat(kept + 100)} may wait" in refused.content.decode()
    assert PendingUpload.objects.count() == 1


def test_expired_uploads_are_removed_by_the_command(as_author: Client) -> None:
    old = upload(as_author, ("one.txt", CHAPTER_ONE.encode()))
    fresh = upload(as_author, ("two.txt", CHAPTER_TWO.encode()))
    PendingUpload.objects.filter(token=old["Location"].rstrip("/").split("/")[-1]).update(
        created_at=timezone.now() - uploads.KEEP_FOR - timedelta(minutes=1)
    )
    out = StringIO()
    call_command("expire_uploads", stdout=out)
    assert "Removed 1 import(s) left waiting" in out.getvalue()
    assert as_author.get(old["Location"]).status_code == 404
    assert as_author.get(fresh["Location"]).status_code == 200


def test_the_preview_uses_what_was_read_at_upload(as_author: Client) -> None:
    """The files are read once: the preview and its confirmation never read them again."""
    preview = upload(
        as_author, ("002.txt", CHAPTER_ONE.encode()), ("001.txt", CHAPTER_TWO.encode())
    )
    kept = PendingUpload.objects.get()
    assert "The Lane" in kept.parsed
    assert kept.size == len(kept.parsed.encode())
    assert "The Lane" in as_author.get(preview["Location"]).content.decode()


def test_more_files_than_allowed_get_a_page_saying_so(as_author: Client) -> None:
    files = [
        SimpleUploadedFile(f"{n:03d}.txt", b"Chapter text.")
        for n in range(uploads.MAX_UPLOAD_FILES + 1)
    ]
    response = as_author.post(reverse("works:import"), {"upload": files})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"at most {uploads.MAX_UPLOAD_FILES}" in page
    assert "Fanfold" in page  # the site's own page, not a bare "Bad Request"


def test_an_imported_work_is_created_whole_and_searchable_to_its_last_chapter(
    author: User, as_stranger: Client
) -> None:
    chapters = tuple(
        ParsedChapter(body=f"<p>Chapter {n} of the rain.</p>", title=f"Part {n}") for n in range(30)
    )
    chapters += (ParsedChapter(body="<p>At last the heron came home.</p>"),)
    work = import_work(parsed=ParsedWork(title="Rain", chapters=chapters), owner=author, post=True)
    assert work.chapter_count == 31
    assert list(work.chapters.values_list("position", flat=True)) == list(range(1, 32))
    found = as_stranger.get(reverse("search:works"), {"q": "heron"})
    assert [w.pk for w in found.context["results"].works] == [work.pk]


def test_an_import_refused_by_the_services_names_the_chapter(author: User) -> None:
    chapters = (
        ParsedChapter(body="<p>It began to rain.</p>"),
        ParsedChapter(body="<p>" + "rain " * (CHAPTER_BODY_MAX // 5) + "</p>"),
    )
    with pytest.raises(ValidationError, match="Chapter 2: The chapter text has"):
        create_imported_work(
            owner=author,
            fields=work_fields_for(ParsedWork(title="Rain", chapters=chapters)),
            chapters=chapters,
            post=True,
        )
    assert not Work.objects.exists()


def test_an_efiction_pen_name_of_any_shape_gets_an_author_page(
    tmp_path: Path, as_stranger: Client
) -> None:
    from tests.formats.readers.test_efiction import DUMP, write_export

    dump = DUMP.replace("'Bramble'", "'Bramble / Thorn\\n'").replace("'Lantern'", "'..'")
    call_command(
        "import_works", str(write_export(tmp_path / "site", dump)), "--post", stdout=StringIO()
    )
    assert set(User.objects.values_list("username", flat=True)) == {
        "Bramble_Thorn",
        "efiction-author",
    }
    for work in Work.objects.all():
        assert_pages_answer(as_stranger, pages_of(work))
