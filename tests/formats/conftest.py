"""A work of our own, with every field set, and an EPUB builder, for readers' and writers' tests."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest

from fanfold.formats.model import ParsedChapter, ParsedWork, SeriesRef


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
