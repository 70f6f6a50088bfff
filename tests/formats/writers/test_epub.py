"""The EPUB writer: a work out as an EPUB 3 book.

``write_epub`` promises the same bytes for the same work, a stored
``mimetype`` first, a book epubcheck passes, metadata carrying the tags,
series (also as Calibre reads them) and language, one document per
chapter between a preface and an afterword in a nav and an NCX, and a
book that reads back as the work it was written from. ``xml_safe_work``
takes out of every text the characters XML forbids, so any work makes a
book a reader can open.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import fields, replace
from pathlib import Path

import pytest
from lxml import etree

from fanfold.formats.model import ParsedChapter, ParsedWork, SeriesRef
from fanfold.formats.readers import read_bytes
from fanfold.formats.writers.epub import write_epub, xml_safe_work
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


def test_a_written_book_reads_back_the_same(full_work: ParsedWork) -> None:
    back = read_bytes(write_epub(full_work), name="book.epub")
    for name in ROUND_TRIP_FIELDS:
        assert getattr(back, name) == getattr(full_work, name), name
    assert back.chapters == full_work.chapters


def test_a_work_without_optional_fields_is_still_written() -> None:
    bare = ParsedWork(title="Rain", chapters=(ParsedChapter(body="<p>It rained.</p>"),))
    book = zipfile.ZipFile(io.BytesIO(write_epub(bare)))
    assert b"It rained." in book.read("OEBPS/chapter-001.xhtml")
    assert "OEBPS/afterword.xhtml" not in book.namelist()  # no end notes, no afterword


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


def test_xml_safe_work_cleans_every_text_and_keeps_the_rest(full_work: ParsedWork) -> None:
    safe = xml_safe_work(with_characters_xml_forbids(full_work))
    assert safe.title == "Letters & Kent"
    assert safe.series == (SeriesRef("Kent Letters", 2),)
    assert safe.chapters[0].body == "<p>Dear Jane.</p>"
    assert safe.published == full_work.published
    assert xml_safe_work(full_work) == full_work


def test_the_contents_list_the_preface_each_chapter_and_the_afterword(
    full_work: ParsedWork,
) -> None:
    book = zipfile.ZipFile(io.BytesIO(write_epub(full_work)))
    nav = book.read("OEBPS/nav.xhtml").decode()
    entries = re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', nav)
    assert entries == [
        ("preface.xhtml", "Preface"),
        ("chapter-001.xhtml", "Chapter 1: The First Letter"),
        ("chapter-002.xhtml", "Chapter 2: The Second Letter"),
        ("afterword.xhtml", "Afterword"),
    ]
    ncx = book.read("OEBPS/toc.ncx").decode()
    assert re.findall(r'<content src="([^"]+)"/>', ncx) == [href for href, _ in entries]
    opf = book.read("OEBPS/content.opf").decode()
    spine = re.findall(r'<itemref idref="(doc-\d+)"/>', opf)
    assert spine == ["doc-1", "doc-2", "doc-3", "doc-4"]


def test_each_work_has_its_own_identifier(full_work: ParsedWork) -> None:
    def identifier(work: ParsedWork) -> str:
        opf = zipfile.ZipFile(io.BytesIO(write_epub(work))).read("OEBPS/content.opf").decode()
        found = re.search(r'<dc:identifier id="book-id">(urn:uuid:[0-9a-f-]{36})<', opf)
        assert found is not None
        return found.group(1)

    assert identifier(full_work) == identifier(full_work)
    assert identifier(full_work) != identifier(replace(full_work, title="Other Letters"))


def test_a_series_without_a_position_has_no_position_in_the_metadata(
    full_work: ParsedWork,
) -> None:
    work = replace(full_work, series=(SeriesRef("Loose Letters"),))
    opf = zipfile.ZipFile(io.BytesIO(write_epub(work))).read("OEBPS/content.opf").decode()
    assert '<meta name="calibre:series" content="Loose Letters"/>' in opf
    assert "group-position" not in opf
    assert "calibre:series_index" not in opf
