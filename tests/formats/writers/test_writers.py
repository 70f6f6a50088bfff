"""Writers: EPUB 3 (valid for epubcheck), one-file HTML and text; all read back the same."""

from __future__ import annotations

import io
import zipfile
from dataclasses import fields, replace
from pathlib import Path

import pytest
from lxml import etree

from fanfold.formats.model import ParsedChapter, ParsedWork, SeriesRef
from fanfold.formats.readers import read_bytes
from fanfold.formats.writers import write_epub, write_html, write_text
from tests.conftest import epubcheck

ROUND_TRIP_FIELDS = [
    f.name
    for f in fields(ParsedWork)
    if f.name not in {"source", "source_format", "messages", "chapters"}
]


def test_epub_is_deterministic_and_starts_with_a_stored_mimetype(full_work: ParsedWork) -> None:
    book = write_epub(full_work)
    assert book == write_epub(full_work)
    archive = zipfile.ZipFile(io.BytesIO(book))
    first = archive.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert archive.read("mimetype") == b"application/epub+zip"


def test_epub_metadata_carries_tags_series_and_language(full_work: ParsedWork) -> None:
    opf = zipfile.ZipFile(io.BytesIO(write_epub(full_work))).read("OEBPS/content.opf").decode()
    assert "<dc:subject>Elizabeth Bennet/Fitzwilliam Darcy</dc:subject>" in opf
    assert "<dc:language>en</dc:language>" in opf
    assert 'property="belongs-to-collection"' in opf
    assert 'property="group-position">2<' in opf
    assert '<meta name="calibre:series" content="Kent Letters"/>' in opf


@pytest.mark.parametrize("writer", ["epub", "html"])
def test_a_written_work_reads_back_the_same(full_work: ParsedWork, writer: str) -> None:
    data = write_epub(full_work) if writer == "epub" else write_html(full_work).encode()
    back = read_bytes(data, name=f"book.{writer}")
    for name in ROUND_TRIP_FIELDS:
        assert getattr(back, name) == getattr(full_work, name), name
    assert back.chapters == full_work.chapters


def test_text_has_the_preface_chapters_and_notes(full_work: ParsedWork) -> None:
    text = write_text(full_work)
    assert text.startswith("Letters & Kent\nby inkwell\n")
    assert (
        "Relationship: Elizabeth Bennet/Fitzwilliam Darcy, Elizabeth Bennet & Jane Bennet" in text
    )
    assert "Chapter 1: The First Letter" in text
    assert "* * *" in text
    assert "More letters soon." in text
    assert "<p>" not in text


def test_a_work_without_optional_fields_is_still_written() -> None:
    bare = ParsedWork(title="Rain", chapters=(ParsedChapter(body="<p>It rained.</p>"),))
    assert b"It rained." in zipfile.ZipFile(io.BytesIO(write_epub(bare))).read(
        "OEBPS/chapter-001.xhtml"
    )
    assert "Chapters: 1/?" in write_text(bare)


@pytest.mark.slow
def test_epubcheck_passes_on_a_full_and_a_bare_book(full_work: ParsedWork, tmp_path: Path) -> None:
    bare = ParsedWork(title="Rain", chapters=(ParsedChapter(body="Bare text & no tags"),))
    for name, work in (("full.epub", full_work), ("bare.epub", bare)):
        path = tmp_path / name
        path.write_bytes(write_epub(work))
        result = epubcheck(path)
        assert result.returncode == 0, result.stdout + result.stderr


# Characters XML 1.0 forbids, as a title or tag pasted from anywhere can hold them.
NOT_XML = "\x0c\x00\ufffe\x1b\ud800"


def with_characters_xml_forbids(work: ParsedWork) -> ParsedWork:
    chapter = work.chapters[0]
    return replace(
        work,
        title=f"Letters{NOT_XML} & Kent",
        creators=(f"ink{NOT_XML}well",),
        language=f"en{NOT_XML}",
        summary=f"<p>Letters,{NOT_XML} mostly.</p>",
        freeforms=(f"Epistolary{NOT_XML}", "Rain"),
        series=(SeriesRef(f"Kent{NOT_XML} Letters", 2),),
        chapters=(
            replace(chapter, title=f"The{NOT_XML} First", body=f"<p>Dear{NOT_XML} Jane.</p>"),
            *work.chapters[1:],
        ),
    )


def test_an_epub_is_well_formed_xml_whatever_its_text_holds(full_work: ParsedWork) -> None:
    book = zipfile.ZipFile(io.BytesIO(write_epub(with_characters_xml_forbids(full_work))))
    for path in book.namelist():
        if path.endswith((".xml", ".opf", ".ncx", ".xhtml")):
            etree.fromstring(book.read(path))  # raises on a character XML forbids
    opf = book.read("OEBPS/content.opf").decode()
    assert "<dc:title>Letters &amp; Kent</dc:title>" in opf
    assert "<dc:subject>Epistolary</dc:subject>" in opf
    assert "Dear Jane." in book.read("OEBPS/chapter-001.xhtml").decode()


@pytest.mark.slow
def test_epubcheck_passes_on_a_book_whose_text_holds_characters_xml_forbids(
    full_work: ParsedWork, tmp_path: Path
) -> None:
    path = tmp_path / "odd.epub"
    path.write_bytes(write_epub(with_characters_xml_forbids(full_work)))
    result = epubcheck(path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_chapter_stored_deeply_nested_is_written_with_all_its_text() -> None:
    # Stored before nesting was bounded: libxml2 would drop all past depth 255.
    body = "<blockquote>" * 1000 + "<p>Who is there?</p>" + "</blockquote>" * 1000
    work = ParsedWork(title="Echo", chapters=(ParsedChapter(body=body),))
    chapter = zipfile.ZipFile(io.BytesIO(write_epub(work))).read("OEBPS/chapter-001.xhtml")
    assert b"Who is there?" in chapter
    assert "Who is there?" in write_html(work)


@pytest.mark.slow
def test_a_paragraph_longer_than_libxml2s_text_limit_is_written_whole() -> None:
    # libxml2 alone drops a fragment holding more than 10 MB of text in one node.
    body = "<p>" + "word " * 2_100_000 + "</p><p>The end.</p>"
    work = ParsedWork(title="Long", chapters=(ParsedChapter(body=body),))
    assert "The end." in write_html(work)
