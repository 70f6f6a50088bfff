"""EPUB 3 writer: preface, one document per chapter, afterword, nav and NCX.

Written with ``zipfile`` directly rather than ebooklib: the book is a
handful of small files whose markup we already produce (see ``markup``),
and writing them ourselves keeps every byte deterministic (fixed
timestamps and order, an identifier derived from the work) and valid for
epubcheck. The NCX is there for EPUB 2 readers that ignore the nav.

Every text of the work loses the characters XML 1.0 forbids before it is
written (a form feed pasted into a title made a book no reader could open):

>>> from fanfold.formats.model import ParsedChapter
>>> xml_safe_work(ParsedWork(title="Page\\x0cTwo", chapters=(ParsedChapter(body="\\x00"),)))
ParsedWork(title='PageTwo', chapters=(ParsedChapter(body='', ...), ...)
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from dataclasses import fields, is_dataclass, replace
from html import escape
from typing import TYPE_CHECKING, TypeVar

from fanfold.formats.model import ParsedWork
from fanfold.formats.safety import xml_safe
from fanfold.formats.userhtml import to_plain_text
from fanfold.formats.writers.markup import STYLE, afterword, chapter_block, chapter_heading, preface

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_FIXED_TIME = (1980, 1, 1, 0, 0, 0)
_CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
"""


def write_epub(work: ParsedWork) -> bytes:
    """The work as an EPUB 3 book (bytes), the same bytes for the same work."""
    work = xml_safe_work(work)
    documents = _documents(work)
    identifier = f"urn:uuid:{uuid.UUID(bytes=hashlib.sha256(repr(work).encode()).digest()[:16])}"
    files = {
        "META-INF/container.xml": _CONTAINER,
        "OEBPS/style.css": STYLE,
        "OEBPS/nav.xhtml": _nav(work, documents),
        "OEBPS/toc.ncx": _ncx(work, documents, identifier),
        "OEBPS/content.opf": _opf(work, documents, identifier),
        **{f"OEBPS/{name}": body for name, _, body in documents},
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr(_info("mimetype", zipfile.ZIP_STORED), "application/epub+zip")
        for path, content in files.items():
            book.writestr(_info(path, zipfile.ZIP_DEFLATED), content.encode("utf-8"))
    return buffer.getvalue()


_Record = TypeVar("_Record", bound="DataclassInstance")


def xml_safe_work(work: _Record) -> _Record:
    """``work`` (or a chapter, a series) with every text in it passed through ``xml_safe``."""
    changes = {field.name: _xml_safe_value(getattr(work, field.name)) for field in fields(work)}
    return replace(work, **changes)


def _xml_safe_value(value: object) -> object:
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, tuple):
        return tuple(_xml_safe_value(item) for item in value)
    if is_dataclass(value) and not isinstance(value, type):
        return xml_safe_work(value)
    return value  # dates, numbers, flags


def _info(path: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=_FIXED_TIME)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info


def _page(work: ParsedWork, title: str, body: str) -> str:
    lang = escape(work.language or "en")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{lang}" xml:lang="{lang}">\n<head>\n<meta charset="utf-8"/>\n'
        f"<title>{escape(title)}</title>\n"
        '<link rel="stylesheet" type="text/css" href="style.css"/>\n'
        f"</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def _documents(work: ParsedWork) -> list[tuple[str, str, str]]:
    """(file name, table-of-contents title, XHTML) for each document, in reading order."""
    documents = [("preface.xhtml", "Preface", _page(work, work.title, preface(work)))]
    for number, chapter in enumerate(work.chapters, start=1):
        heading = chapter_heading(number, chapter)
        body = f'<div id="chapters" class="userstuff">\n{chapter_block(number, chapter)}</div>'
        documents.append((f"chapter-{number:03d}.xhtml", heading, _page(work, heading, body)))
    if ending := afterword(work):
        documents.append(("afterword.xhtml", "Afterword", _page(work, "Afterword", ending)))
    return documents


def _nav(work: ParsedWork, documents: list[tuple[str, str, str]]) -> str:
    items = "\n".join(
        f'<li><a href="{name}">{escape(title)}</a></li>' for name, title, _ in documents
    )
    body = f'<nav epub:type="toc" id="toc"><h1>Contents</h1>\n<ol>\n{items}\n</ol></nav>'
    return _page(work, "Contents", body)


def _ncx(work: ParsedWork, documents: list[tuple[str, str, str]], identifier: str) -> str:
    points = "\n".join(
        f'<navPoint id="nav-{n}" playOrder="{n}"><navLabel><text>{escape(title)}</text>'
        f'</navLabel><content src="{name}"/></navPoint>'
        for n, (name, title, _) in enumerate(documents, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">\n'
        f'<head><meta name="dtb:uid" content="{identifier}"/></head>\n'
        f"<docTitle><text>{escape(work.title)}</text></docTitle>\n<navMap>\n{points}\n</navMap>\n</ncx>\n"
    )


def _opf(work: ParsedWork, documents: list[tuple[str, str, str]], identifier: str) -> str:
    modified = work.updated or work.published
    stamp = f"{modified.isoformat()}T00:00:00Z" if modified else "2000-01-01T00:00:00Z"
    subjects = [
        work.rating, *work.warnings, *work.categories, *work.fandoms,
        *work.relationships, *work.characters, *work.freeforms,
    ]  # fmt: skip
    metadata = [
        f'<dc:identifier id="book-id">{identifier}</dc:identifier>',
        f"<dc:title>{escape(work.title)}</dc:title>",
        f"<dc:language>{escape(work.language or 'en')}</dc:language>",
        f'<meta property="dcterms:modified">{stamp}</meta>',
        *(f"<dc:creator>{escape(c)}</dc:creator>" for c in work.creators),
        *(f"<dc:subject>{escape(s)}</dc:subject>" for s in subjects if s),
        '<meta name="generator" content="Fanfold"/>',
    ]
    if work.summary:
        metadata.append(f"<dc:description>{escape(to_plain_text(work.summary))}</dc:description>")
    if work.published:
        metadata.append(f"<dc:date>{work.published.isoformat()}</dc:date>")
    for n, ref in enumerate(work.series, start=1):
        metadata.append(
            f'<meta property="belongs-to-collection" id="series-{n}">{escape(ref.title)}</meta>'
            f'<meta refines="#series-{n}" property="collection-type">series</meta>'
            + (
                f'<meta refines="#series-{n}" property="group-position">{ref.position}</meta>'
                if ref.position
                else ""
            )
        )
    if work.series:
        # Calibre's own series metas: what Calibre, Kobo and KOReader show as a series.
        first = work.series[0]
        metadata.append(f'<meta name="calibre:series" content="{escape(first.title)}"/>')
        if first.position:
            metadata.append(f'<meta name="calibre:series_index" content="{first.position}"/>')
    manifest = [
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
        '<item id="css" href="style.css" media-type="text/css"/>',
        *(
            f'<item id="doc-{n}" href="{name}" media-type="application/xhtml+xml"/>'
            for n, (name, _, _) in enumerate(documents, start=1)
        ),
    ]
    spine = "\n".join(f'<itemref idref="doc-{n}"/>' for n in range(1, len(documents) + 1))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        + "\n".join(metadata)
        + "\n</metadata>\n<manifest>\n"
        + "\n".join(manifest)
        + f'\n</manifest>\n<spine toc="ncx">\n{spine}\n</spine>\n</package>\n'
    )
