"""For readers' and writers' tests: a work of our own with every field set, and file builders.

``epub_of`` (a bare EPUB), ``docx_bytes`` (a Word document written by hand), ``ebooklib_epub``
(an EPUB from another tool) and ``zip_of`` make files of our own prose to read.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from ebooklib import epub

from fanfold.formats.model import ParsedChapter, ParsedWork, SeriesRef

STORY = "The lane was quiet in the early morning, and Elizabeth walked it alone, thinking."


@pytest.fixture
def full_work() -> ParsedWork:
    return ParsedWork(
        title="Letters & Kent",
        creators=("inkwell",),
        summary="<p>Letters, mostly. Some of them <em>cross</em>.</p>",
        notes="<p>For my sister, who likes letters.</p>",
        end_notes="<p>Thank you for reading.</p>",
        rating="Teen And Up Audiences",
        warnings=("No Archive Warnings Apply",),
        categories=("F/M",),
        fandoms=("Pride and Prejudice - Jane Austen",),
        relationships=("Elizabeth Bennet/Fitzwilliam Darcy", "Elizabeth Bennet & Jane Bennet"),
        characters=("Elizabeth Bennet", "Fitzwilliam Darcy", "Jane Bennet"),
        freeforms=("Epistolary", "Rain"),
        language="en",
        series=(SeriesRef("Kent Letters", 2),),
        expected_chapters=2,
        complete=True,
        published=date(2026, 1, 2),
        updated=date(2026, 2, 3),
        chapters=(
            ParsedChapter(
                title="The First Letter",
                summary="<p>Elizabeth writes from Hunsford.</p>",
                notes="<p>Written in one sitting.</p>",
                body="<p>Dear Jane, the rectory is very small &amp; very clean.</p>\n<hr>\n"
                "<p>Later: it rained.<br>It is still raining.</p>",
            ),
            ParsedChapter(
                title="The Second Letter",
                body="<p>Dear Jane, I have had a most extraordinary morning.</p>",
                end_notes="<p>More letters soon.</p>",
            ),
        ),
    )


def epub_of(documents: dict[str, bytes], others: dict[str, bytes] | None = None) -> bytes:
    """An EPUB whose spine is ``documents`` (paths under OEBPS/), with ``others`` besides."""
    manifest = "".join(
        f'<item id="d{i}" href="{path}" media-type="application/xhtml+xml"/>'
        for i, path in enumerate(documents)
    )
    spine = "".join(f'<itemref idref="d{i}"/>' for i in range(len(documents)))
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Fog</dc:title>'
        f"</metadata><manifest>{manifest}</manifest><spine>{spine}</spine></package>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        archive.writestr("OEBPS/content.opf", opf)
        for path, content in {**documents, **(others or {})}.items():
            archive.writestr(f"OEBPS/{path}", content)
    return buffer.getvalue()


def page(body: str) -> bytes:
    return f"<html><head><title>x</title></head><body>{body}</body></html>".encode()


def docx_bytes(*paragraphs: str) -> bytes:
    """A minimal Word document, built by hand (the XML a word processor writes)."""
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": (
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def ebooklib_epub() -> bytes:
    """An EPUB from another tool (ebooklib), with a cover-ish nav page and two chapters."""
    book = epub.EpubBook()
    book.set_identifier("test-id")
    book.set_title("Rain at Netherfield")
    book.set_language("en")
    book.add_author("marginalia")
    book.add_metadata("DC", "description", "A walk in the rain.")
    book.add_metadata("DC", "subject", "Walking")
    chapters = []
    for number, text in enumerate([STORY, STORY.replace("morning", "evening")], start=1):
        chapter = epub.EpubHtml(title=f"Part {number}", file_name=f"part{number}.xhtml")
        chapter.content = f"<h1>Part {number}</h1><p>{text}</p>"
        book.add_item(chapter)
        chapters.append(chapter)
    book.toc = chapters
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *chapters]
    buffer = io.BytesIO()
    epub.write_epub(buffer, book)
    return buffer.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()
