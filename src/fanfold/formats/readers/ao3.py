"""Reader for AO3's own downloads: the HTML file and the EPUB.

AO3 writes the same markup into both (formats.md): ``div#preface`` with a
``dl.tags`` of ``dt``/``dd`` pairs, the ``h1`` title, ``div.byline``,
Summary/Notes blockquotes; ``div#chapters`` with one ``h2.heading`` per
chapter, its summary and notes, the body in ``div.userstuff`` and end notes
in ``div#endnotesN``; ``div#afterword`` > ``div#endnotes`` for the work.
The EPUB splits this over several XHTML files; we join the bodies of its
spine documents in order and read the result as one HTML page.

We recognise the file by its preface markers, never by its name:

>>> AO3_READER.sniff(b'<div id="preface"><dl class="tags"></dl></div>', "x.txt")
True
>>> parse_stats("Published: 2021-03-01 Updated: 2021-04-02 Words: 1,200 Chapters: 2/?")
(datetime.date(2021, 3, 1), datetime.date(2021, 4, 2), 2, None)
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from lxml import etree

from fanfold.formats.errors import FormatError
from fanfold.formats.model import ParsedChapter, ParsedWork, SeriesRef
from fanfold.formats.readers.package import read_opf_package
from fanfold.formats.safety import check_file_size, is_zip, open_zip, parse_html
from fanfold.formats.userhtml import to_safe_html

_AO3_MARKERS = (b"Posted originally on the", b"Archive of Our Own")
_PREFACE_MARK = re.compile(rb"""id=["']preface["']""")
_TAGS_MARK = re.compile(rb"""class=["'][^"']*\btags\b""")
# AO3 puts its preface in the first spine document; a few more allow for a cover page.
_SNIFFED_DOCUMENTS = 3

_STATS_DATE = re.compile(r"(Published|Updated|Completed):\s*(\d{4})-(\d{1,2})-(\d{1,2})")
_STATS_CHAPTERS = re.compile(r"Chapters:\s*(\d+)\s*/\s*(\d+|\?)")
_SERIES_PART = re.compile(r"Part\s+(\d+)\s+of\s*$")
_CHAPTER_HEADING = re.compile(r"^\s*Chapter\s+\d+\s*(?::\s*(.*))?$", re.DOTALL)

_LABELS = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tags": "freeforms",
    "language": "language",
    "series": "series",
    "stats": "stats",
}


def _date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_stats(text: str) -> tuple[date | None, date | None, int | None, int | None]:
    """(published, updated-or-completed, chapters posted, chapters expected or None)."""
    published = updated = None
    for label, year, month, day in _STATS_DATE.findall(text):
        when = _date(year, month, day)
        if label == "Published":
            published = when
        else:
            updated = when
    posted = expected = None
    match = _STATS_CHAPTERS.search(text)
    if match:
        posted = int(match.group(1))
        expected = None if match.group(2) == "?" else int(match.group(2))
    return published, updated, posted, expected


def _is_element(node: etree._Element) -> bool:
    """False for comments and processing instructions (lxml gives them a function as tag)."""
    tag: object = node.tag  # the stubs say str
    return isinstance(tag, str)


def _text(element: etree._Element) -> str:
    if not _is_element(element):
        return ""
    return " ".join("".join(str(t) for t in element.itertext()).split())


def _previous(element: etree._Element) -> etree._Element | None:
    """The element before this one, past any comments and processing instructions."""
    sibling = element.getprevious()
    while sibling is not None and not _is_element(sibling):
        sibling = sibling.getprevious()
    return sibling


def _next(element: etree._Element) -> etree._Element | None:
    """The element after this one, past any comments and processing instructions."""
    sibling = element.getnext()
    while sibling is not None and not _is_element(sibling):
        sibling = sibling.getnext()
    return sibling


def elements(root: etree._Element, expression: str) -> list[etree._Element]:
    """The elements an XPath expression selects (typed; other results ignored)."""
    found = root.xpath(expression)
    return (
        [item for item in found if isinstance(item, etree._Element)]
        if isinstance(found, list)
        else []
    )


def _inner_html(element: etree._Element) -> str:
    parts = [element.text or ""]
    parts.extend(
        etree.tostring(child, encoding="unicode", method="html", with_tail=True)
        for child in element
    )
    return "".join(parts)


def _tag_values(dd: etree._Element) -> tuple[str, ...]:
    anchors = [_text(a) for a in dd.iter("a")]
    values = anchors if anchors else [part.strip() for part in _text(dd).split(",")]
    return tuple(v for v in values if v)


def _series(dd: etree._Element) -> tuple[SeriesRef, ...]:
    refs: list[SeriesRef] = []
    for anchor in dd.iter("a"):
        previous = anchor.getprevious()
        before = (previous.tail if previous is not None else anchor.getparent().text) or ""  # type: ignore[union-attr]
        match = _SERIES_PART.search(before.strip())
        refs.append(SeriesRef(title=_text(anchor), position=int(match.group(1)) if match else 0))
    return tuple(ref for ref in refs if ref.title)


def _creators(byline: etree._Element) -> tuple[str, ...]:
    """Linked creators, or the bare text of an unlinked byline ("by Anonymous")."""
    linked = tuple(_text(a) for a in byline.iter("a"))
    if linked:
        return linked
    bare = re.sub(r"^by\s+", "", _text(byline))
    return tuple(part.strip() for part in bare.split(",") if part.strip())


def _labelled_blockquotes(container: etree._Element) -> dict[str, str]:
    """Map "summary"/"notes"/... labels to the blockquote that follows them."""
    found: dict[str, str] = {}
    for quote in container.iterfind(".//blockquote"):
        if "userstuff" not in (quote.get("class") or ""):
            continue
        label_element = _previous(quote)
        label = _text(label_element).rstrip(":").lower() if label_element is not None else ""
        found.setdefault(label, to_safe_html(_inner_html(quote)))
    return found


def _has_class(element: etree._Element, name: str) -> bool:
    return name in (element.get("class") or "").split()


def _chapter_body(meta: etree._Element) -> str:
    sibling = _next(meta)
    while sibling is not None:
        if sibling.tag == "div" and _has_class(sibling, "userstuff"):
            return to_safe_html(_inner_html(sibling))
        if sibling.tag == "div" and _has_class(sibling, "meta"):
            break
        sibling = _next(sibling)
    return ""


def _chapters(root: etree._Element, name: str) -> tuple[ParsedChapter, ...]:
    blocks = elements(root, "//div[@id='chapters']")
    if not blocks:
        raise FormatError(name, "it has AO3's preface but no chapters (div#chapters)")
    end_notes = {
        str(div.get("id")): _labelled_blockquotes(div)
        for div in elements(root, "//div[starts-with(@id, 'endnotes') and @id != 'endnotes']")
    }
    chapters: list[ParsedChapter] = []
    headed = any(_has_class(h, "heading") for block in blocks for h in block.iter("h2"))
    for block in blocks:
        headings = [h for h in block.iter("h2") if _has_class(h, "heading")]
        if not headings and headed:
            continue  # an EPUB split left a piece (end notes) without its heading
        if not headings:  # the one-chapter layout: the body is the block itself
            inner = [d for d in block if d.tag == "div" and _has_class(d, "userstuff")]
            body = _inner_html(inner[0]) if inner else _inner_html(block)
            chapters.append(ParsedChapter(body=to_safe_html(body)))
            continue
        for heading in headings:
            meta = heading.getparent()
            assert meta is not None
            match = _CHAPTER_HEADING.match(_text(heading))
            title = (match.group(1) or "").strip() if match else _text(heading)
            labelled = _labelled_blockquotes(meta)
            number = len(chapters) + 1
            ends = end_notes.get(f"endnotes{number}", {})
            chapters.append(
                ParsedChapter(
                    body=_chapter_body(meta),
                    title=title,
                    summary=labelled.get("chapter summary", ""),
                    notes=labelled.get("chapter notes", ""),
                    end_notes=next(iter(ends.values()), ""),
                )
            )
    return tuple(chapters)


def _apply_tags(work: ParsedWork, dl: etree._Element) -> ParsedWork:
    values: dict[str, object] = {}
    for dt in dl.iterfind("dt"):
        field = _LABELS.get(_text(dt).rstrip(":").strip().lower())
        dd = _next(dt)
        if field is None or dd is None or dd.tag != "dd":
            continue
        if field == "rating":
            values["rating"] = next(iter(_tag_values(dd)), "")
        elif field == "language":
            values["language"] = _text(dd)
        elif field == "series":
            values["series"] = _series(dd)
        elif field == "stats":
            published, updated, posted, expected = parse_stats(_text(dd))
            values.update(published=published, updated=updated, expected_chapters=expected)
            values["complete"] = expected is not None and posted == expected
        else:
            values[field] = _tag_values(dd)
    return replace(work, **values)  # type: ignore[arg-type]


def read_ao3_html(data: bytes | str, name: str, source_format: str = "ao3-html") -> ParsedWork:
    """Read one AO3 HTML page (or the joined spine of an AO3 EPUB)."""
    root = parse_html(data, name)
    prefaces = elements(root, "//div[@id='preface']")
    if not prefaces:
        raise FormatError(name, "it is not an AO3 download (no div#preface)")
    preface = prefaces[0]
    titles = elements(preface, ".//h1")
    title = _text(titles[0]) if titles else ""
    if not title:
        raise FormatError(name, "its AO3 preface has no title (h1)")
    bylines = [d for d in preface.iter("div") if _has_class(d, "byline")]
    creators = _creators(bylines[0]) if bylines else ()
    labelled = _labelled_blockquotes(preface)
    source = ""
    for message in preface.iter("p"):
        if _has_class(message, "message"):
            links = [a.get("href", "") for a in message.iter("a")]
            source = str(links[-1]) if links else ""
    afterword_notes = elements(root, "//div[@id='endnotes']")
    end_notes = ""
    if afterword_notes:
        end_notes = next(iter(_labelled_blockquotes(afterword_notes[0]).values()), "")
    work = ParsedWork(
        title=title,
        chapters=_chapters(root, name),
        creators=tuple(c for c in creators if c),
        summary=labelled.get("summary", ""),
        notes=labelled.get("notes", ""),
        end_notes=end_notes,
        source=source,
        source_format=source_format,
    )
    for dl in preface.iter("dl"):
        if _has_class(dl, "tags"):
            work = _apply_tags(work, dl)
    if (
        work.expected_chapters is None
        and len(work.chapters) == 1
        and not _STATS_CHAPTERS.search(_text(preface))
    ):
        work = replace(work, expected_chapters=1, complete=True)
    return work


def _body_html(document: bytes, name: str) -> str:
    root = parse_html(document, name)
    bodies = elements(root, "//body")
    body = bodies[0] if bodies else root
    return _inner_html(body)


def read_ao3_epub(data: bytes, name: str) -> ParsedWork:
    """Join an AO3 EPUB's spine documents and read them as one page."""
    package = read_opf_package(open_zip(data, name), name)
    joined = "\n".join(_body_html(package.document(path), name) for path in package.spine)
    return read_ao3_html(f"<html><body>{joined}</body></html>", name, source_format="ao3-epub")


def _looks_like_ao3_markup(data: bytes) -> bool:
    if all(marker in data for marker in _AO3_MARKERS):
        return True
    return bool(_PREFACE_MARK.search(data) and _TAGS_MARK.search(data))


class Ao3Reader:
    """The AO3 download reader for ``SPECIAL_READERS``."""

    name = "ao3"

    def sniff(self, data: bytes, name: str) -> bool:
        if not is_zip(data):
            return _looks_like_ao3_markup(data[:200_000])
        try:
            package = read_opf_package(open_zip(data, name), name)
            return any(
                _looks_like_ao3_markup(package.document(path))
                for path in package.spine[:_SNIFFED_DOCUMENTS]
            )
        except FormatError:
            return False  # not an EPUB we can read: whoever reads it says why

    def read(self, data: bytes, name: str) -> ParsedWork:
        check_file_size(data, name)
        if is_zip(data):
            return read_ao3_epub(data, name)
        return read_ao3_html(data, name)


AO3_READER = Ao3Reader()
