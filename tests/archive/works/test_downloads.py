"""Downloads: EPUB, HTML and text, built once per version of a work."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.works import services
from fanfold.archive.works.models import Work
from tests.archive.factories import make_work


def download(client: Client, work: Work, extension: str) -> bytes:
    response = client.get(reverse("works:download", args=[work.pk, extension]))
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def cached_files(data_dir: Path, work: Work) -> list[str]:
    return sorted(p.name for p in (data_dir / "downloads" / str(work.pk)).iterdir())


def test_work_page_links_every_download_format(as_stranger: Client, author: User) -> None:
    work = make_work(owner=author)
    page = as_stranger.get(work.get_absolute_url()).content.decode()
    for extension in ("epub", "html", "txt"):
        assert reverse("works:download", args=[work.pk, extension]) in page


def test_epub_download_is_an_epub_named_after_the_work(as_stranger: Client, author: User) -> None:
    work = make_work(owner=author, title="The Long Walk", chapters=2)
    response = as_stranger.get(reverse("works:download", args=[work.pk, "epub"]))
    assert response["Content-Type"] == "application/epub+zip"
    assert 'filename="The_Long_Walk.epub"' in response["Content-Disposition"]
    book = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    assert book.read("mimetype") == b"application/epub+zip"


def test_text_download_holds_the_story_and_the_notes(as_stranger: Client, author: User) -> None:
    work = make_work(owner=author, title="The Long Walk", notes="Written on a train.")
    text = download(as_stranger, work, "txt").decode()
    assert "The Long Walk" in text
    assert "Written on a train." in text
    assert "The lane was quiet." in text


def test_a_download_is_built_once_per_version_of_the_work(
    as_stranger: Client, author: User, own_data_dir: Path
) -> None:
    work = make_work(owner=author)
    first = download(as_stranger, work, "html")
    built = cached_files(own_data_dir, work)
    assert download(as_stranger, work, "html") == first
    assert cached_files(own_data_dir, work) == built

    chapter = work.chapters.get()
    services.update_chapter(
        chapter=chapter,
        by=author,
        fields=services.ChapterFields(title="", body="The lane was loud now."),
    )
    changed = download(as_stranger, work, "html")
    assert b"The lane was loud now." in changed
    assert cached_files(own_data_dir, work) != built
    assert len(cached_files(own_data_dir, work)) == 1  # the old version is gone


def test_a_strangers_download_leaves_out_draft_chapters(
    as_stranger: Client, as_author: Client, author: User
) -> None:
    work = make_work(owner=author)
    services.add_chapter(
        work=work,
        by=author,
        fields=services.ChapterFields(title="Secret", body="Not ready for readers."),
        post=False,
    )
    assert b"Not ready for readers." not in download(as_stranger, work, "txt")
    assert b"Not ready for readers." in download(as_author, work, "txt")


@pytest.mark.parametrize("extension", ["pdf", "exe", "EPUB"])
def test_an_unknown_format_is_not_found(as_stranger: Client, author: User, extension: str) -> None:
    work = make_work(owner=author)
    response = as_stranger.get(reverse("works:download", args=[work.pk, extension]))
    assert response.status_code == 404
