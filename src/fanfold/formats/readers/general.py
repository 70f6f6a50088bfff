"""General readers: any EPUB, Word document, HTML page or text file.

These know no site's conventions. An EPUB's spine gives the chapters (title,
contents and navigation pages left out), its metadata the title, creators,
summary, language and subjects (kept as additional tags). A Word document
goes through mammoth to HTML. An HTML page with several ``<h2>`` headings
is a work of chapters; otherwise it is one chapter read like a text file.

>>> zip_kind(b"not a zip", "x")
Traceback (most recent call last):
...
fanfold.formats.errors.FormatError: x: it is not a readable zip/EPUB file
"""

from __future__ import annotations

import io
import re
from dataclasses import replace

from lxml import etree

from fanfold.formats.errors import FormatError
from fanfold.formats.model import ParsedChapter, ParsedWork
from fanfold.formats.readers.ao3 import elements
from fanfold.formats.readers.chapters import chapters_to_work
from fanfold.formats.readers.package import read_opf_package
from fanfold.formats.safety import check_markup_size, is_zip, open_zip, parse_html
from fanfold.formats.userhtml import sanitise, to_plain_text, to_safe_html
from fanfold.text.normalise import NotTextError, decode

_NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
_SKIPPED_PAGE = re.compile(r"(?:^|[/_-])(?:nav|toc|cover|title|titlepage|copyright)\b", re.I)
_MIN_CHAPTER_WORDS = 3  # spine pages shorter than this are blank or front matter


def zip_kind(data: bytes, name: str) -> str:
    """ "epub" or "docx", judged by the names inside the zip; anything else is refused."""
    book = open_zip(data, name)
    if "word/document.xml" in book:
        return "docx"
    if "META-INF/container.xml" in book or (
        (book.get("mimetype") or b"").strip() == b"application/epub+zip"
    ):
        return "epub"
    raise FormatError(name, "it is a zip file but neither an EPUB nor a Word document")


def read_epub(data: bytes, name: str) -> ParsedWork:
    package = read_opf_package(open_zip(data, name), name)
    opf = package.opf
    chapters = []
    for path in package.spine:
        if _SKIPPED_PAGE.search(path):
            continue  # never unpacked
        chapter = _html_chapter(package.document(path), name)
        if len(to_plain_text(chapter.body).split()) >= _MIN_CHAPTER_WORDS:
            chapters.append(chapter)
    if not chapters:
        raise FormatError(name, "the EPUB has no chapters with text")
    description = _first(opf, ".//dc:description")
    return ParsedWork(
        title=_first(opf, ".//dc:title") or "Untitled",
        chapters=tuple(chapters),
        creators=tuple(_all(opf, ".//dc:creator")),
        summary=to_safe_html(description) if description else "",
        language=_first(opf, ".//dc:language"),
        freeforms=tuple(_all(opf, ".//dc:subject")),
        source=name,
        source_format="epub",
    )


def _first(opf: etree._Element, path: str) -> str:
    found = _all(opf, path)
    return found[0] if found else ""


def _all(opf: etree._Element, path: str) -> list[str]:
    return [
        " ".join("".join(str(t) for t in e.itertext()).split()) for e in opf.iterfind(path, _NS)
    ]


def _html_chapter(document: bytes | str, name: str) -> ParsedChapter:
    """A page as one chapter: its first heading the title, the rest the body."""
    root = parse_html(document, name)
    bodies = elements(root, "//body")
    body = bodies[0] if bodies else root
    title = ""
    for heading in body.iter("h1", "h2", "h3"):
        title = " ".join("".join(str(t) for t in heading.itertext()).split())
        heading.getparent().remove(heading)  # type: ignore[union-attr]
        break
    inner = (body.text or "") + "".join(
        etree.tostring(child, encoding="unicode", method="html") for child in body
    )
    return ParsedChapter(body=sanitise(inner), title=title[:255])


def read_html(text: str, name: str) -> ParsedWork:
    """An HTML page: a work of chapters split at ``<h2>``, or one chapter."""
    root = parse_html(text, name)
    headings = elements(root, "//h2")
    titles = elements(root, "//title") or elements(root, "//h1")
    title = " ".join("".join(str(t) for t in titles[0].itertext()).split()) if titles else ""
    if len(headings) < 2:
        plain = to_plain_text(sanitise(text))
        work = chapters_to_work([(name, plain)])
        return work if not title else _retitled(work, title)
    chapters = []
    for heading in headings:
        parts = []
        sibling = heading.getnext()
        while sibling is not None and sibling.tag != "h2":
            parts.append(etree.tostring(sibling, encoding="unicode", method="html"))
            sibling = sibling.getnext()
        chapter_title = " ".join("".join(str(t) for t in heading.itertext()).split())
        chapters.append(ParsedChapter(body=sanitise("".join(parts)), title=chapter_title[:255]))
    return ParsedWork(
        title=title or "Untitled", chapters=tuple(chapters), source=name, source_format="html"
    )


def _retitled(work: ParsedWork, title: str) -> ParsedWork:
    return replace(work, title=title)


def read_docx(data: bytes, name: str) -> ParsedWork:
    """A Word document: mammoth turns it into HTML, read like an HTML page."""
    return read_html(_docx_html(data, name), name)


def _docx_html(data: bytes, name: str) -> str:
    """A Word document as HTML, through mammoth, once its parts are known to be bounded.

    mammoth unpacks the parts itself, with no limits of its own: we unpack
    the document part first (bounded, its tags counted) and check that the
    other XML parts mammoth may read unpack within the limits. Pictures it
    is never asked to open: ``_no_picture`` gives the ``<img>`` no address
    (the sanitiser drops it then), so the picture stays packed.
    """
    import mammoth

    book = open_zip(data, name)
    check_markup_size(book.read("word/document.xml"), name)
    book.check_unpacked_sizes(path for path in book.paths if path.endswith((".xml", ".rels")))
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data), convert_image=mammoth.images.img_element(_no_picture)
        )
    except Exception as error:  # mammoth raises many kinds on broken files
        raise FormatError(name, "it is not a readable Word document") from error
    return f"<html><body>{result.value}</body></html>"


def _no_picture(image: object) -> dict[str, str]:
    return {}


def as_chapter_text(data: bytes, name: str) -> str:
    """One chapter file as plain text for the reading engine (Word and HTML flattened)."""
    if is_zip(data):
        if zip_kind(data, name) != "docx":
            raise FormatError(name, "an EPUB is a whole work: upload it on its own")
        return to_plain_text(sanitise(_docx_html(data, name)))
    try:
        text = decode(data, name=name)
    except NotTextError as error:
        raise FormatError(name, "it is not a text, HTML or Word file") from error
    if re.search(r"<(?:p|div|br|html|body)\b", text[:5000], re.I):
        return to_plain_text(sanitise(text))
    return text
