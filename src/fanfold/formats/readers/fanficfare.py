"""Reader for EPUBs made by FanFicFare (FFF), the fan fiction downloader.

We know an FFF EPUB by its generator marks (formats.md): a ``dc:identifier``
starting "fanficfare-uid:", a ``dc:contributor`` FanFicFare, or a title page
whose body has class ``fff_titlepage``. Metadata comes from content.opf
(title, creators, description, subjects, calibre series metas) and from the
title page's ``<b>Label:</b> value<br/>`` rows, which say which tag is a
fandom, character or relationship (the subjects alone do not).

Subjects are sorted by what they are: a known rating, archive warning or
category label goes to its field, "Completed"/"In-Progress" set the status,
"Last Update: YYYY/MM/DD" the update date, anything else not already placed
by the title page becomes a freeform tag:

>>> fields = classify_subjects(("Teen And Up Audiences", "Gen", "Completed", "Angst"))
>>> fields["rating"], fields["categories"], fields["complete"], fields["freeforms"]
('Teen And Up Audiences', ('Gen',), True, ('Angst',))

Chapters are the spine's ``fileNNNN.xhtml`` documents; ``div.fff_chapter_notes``
blocks become the chapter's summary, notes (head) or end notes (foot).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from lxml import etree

from fanfold.formats.errors import FormatError
from fanfold.formats.model import ParsedChapter, ParsedWork, SeriesRef
from fanfold.formats.readers.ao3 import elements
from fanfold.formats.readers.package import read_opf_package
from fanfold.formats.safety import check_file_size, is_zip, open_zip, parse_html, xml_safe
from fanfold.formats.userhtml import to_safe_html

RATINGS = {
    "general audiences": "General Audiences",
    "teen and up audiences": "Teen And Up Audiences",
    "mature": "Mature",
    "explicit": "Explicit",
    "not rated": "Not Rated",
    # FanFiction.Net's letters, as FanFicFare reports them ("Fiction T" or "T").
    "k": "General Audiences",
    "k+": "General Audiences",
    "t": "Teen And Up Audiences",
    "m": "Mature",
    "ma": "Explicit",
}
WARNINGS = frozenset(
    {
        "Creator Chose Not To Use Archive Warnings",
        "Choose Not To Use Archive Warnings",
        "Graphic Depictions Of Violence",
        "Major Character Death",
        "No Archive Warnings Apply",
        "Rape/Non-Con",
        "Underage",
        "Underage Sex",
    }
)
CATEGORIES = frozenset({"F/F", "F/M", "Gen", "M/M", "Multi", "Other"})

_NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
_OPF_EVENT = "{http://www.idpf.org/2007/opf}event"
_LAST_UPDATE = re.compile(r"^Last Update:\s*(\d{4})[/-](\d{1,2})[/-](\d{1,2})$")
_ISO_DATE = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2})")
_CHAPTER_FILE = re.compile(r"(?:^|/)file\d+\.x?html?$")
_ROW = re.compile(r"^\s*([A-Za-z][A-Za-z ']{0,40}):\s*(.*?)\s*$")
_FFF_MARKS = (b"fanficfare-uid:", b"fff_titlepage", b"FanFicFare")

# Title-page labels whose comma-separated values fill a field.
_TITLE_PAGE_LISTS = {
    "category": "fandoms",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "characters": "characters",
    "relationships": "relationships",
    "ships": "relationships",
    "pairing": "relationships",
    "genre": "freeforms",
    "warnings": "warnings",
}


def _as_date(text: str) -> date | None:
    match = _ISO_DATE.search(text)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def rating_label(text: str) -> str:
    """An AO3 rating label for an FFF rating, or "" when we do not know it."""
    key = text.strip().lower().removeprefix("fiction ").strip()
    return RATINGS.get(key, "")


def classify_subjects(subjects: tuple[str, ...]) -> dict[str, object]:
    """Sort dc:subject values into ParsedWork fields (see the module example)."""
    fields: dict[str, object] = {}
    warnings: list[str] = []
    categories: list[str] = []
    freeforms: list[str] = []
    for subject in subjects:
        update = _LAST_UPDATE.match(subject)
        if rating_label(subject):
            fields["rating"] = rating_label(subject)
        elif subject in WARNINGS:
            warnings.append(subject)
        elif subject in CATEGORIES:
            categories.append(subject)
        elif subject in ("Completed", "Complete"):
            fields["complete"] = True
        elif subject == "In-Progress":
            fields["complete"] = False
        elif update:
            fields["updated"] = _as_date(subject)
        elif subject != "Fanworks":
            freeforms.append(subject)
    for key, values in (("warnings", warnings), ("categories", categories)):
        if values:
            fields[key] = tuple(values)
    if freeforms:
        fields["freeforms"] = tuple(freeforms)
    return fields


def _texts(opf: etree._Element, path: str) -> tuple[str, ...]:
    return tuple(
        " ".join("".join(str(t) for t in node.itertext()).split())
        for node in opf.iterfind(path, _NS)
    )


def _meta(opf: etree._Element, name: str) -> str:
    for meta in opf.iterfind(".//opf:metadata/opf:meta", _NS):
        if meta.get("name") == name:
            return str(meta.get("content") or "")
    return ""


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(",") if part.strip())


def title_page_rows(document: bytes, name: str) -> dict[str, str]:
    """The ``<b>Label:</b> value<br/>`` rows of FFF's title page, by lower-case label."""
    root = parse_html(document, name)
    parts: list[str] = []
    # Walk rather than edit the tree: lxml refuses to set text holding control characters.
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(element.tag, str):
            continue
        if event == "start":
            parts.append("\n" if element.tag in ("br", "b") else "")
            parts.append(str(element.text or ""))
        elif element is not root:
            parts.append(str(element.tail or ""))
    text = "".join(parts)
    rows: dict[str, str] = {}
    for line in text.splitlines():
        match = _ROW.match(line)
        if match:
            rows.setdefault(match.group(1).strip().lower(), match.group(2))
    return rows


def _inner_html(element: etree._Element) -> str:
    parts = [str(element.text or "")]
    parts.extend(
        etree.tostring(child, encoding="unicode", method="html", with_tail=True)
        for child in element
    )
    return "".join(parts)


def _has_class(element: etree._Element, name: str) -> bool:
    return name in str(element.get("class") or "").split()


def _remove(element: etree._Element) -> None:
    """Take an element out of its tree, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = xml_safe((previous.tail or "") + tail)
    else:
        parent.text = xml_safe((parent.text or "") + tail)
    parent.remove(element)


def _append(existing: str, addition: str) -> str:
    return f"{existing}\n{addition}" if existing and addition else existing or addition


def read_chapter(document: bytes, name: str) -> ParsedChapter:
    """One fileNNNN.xhtml: its title, notes divs and remaining body."""
    root = parse_html(document, name)
    metas = {
        str(m.get("name")): str(m.get("content") or "") for m in elements(root, "//meta[@name]")
    }
    title = metas.get("chaptertitle") or metas.get("chapterorigtitle") or ""
    bodies = elements(root, "//body")
    body = bodies[0] if bodies else root
    summary = notes = end_notes = ""
    for div in elements(body, ".//div"):
        if not _has_class(div, "fff_chapter_notes"):
            continue
        labels = list(div.iter("b"))
        label = "".join(str(t) for t in labels[0].itertext()).lower() if labels else ""
        if labels:
            _remove(labels[0])
        content = to_safe_html(_inner_html(div))
        if _has_class(div, "fff_foot_notes"):
            end_notes = _append(end_notes, content)
        elif "summary" in label:
            summary = _append(summary, content)
        else:
            notes = _append(notes, content)
        _remove(div)
    for heading in list(body.iter("h1", "h2", "h3")):
        heading_text = " ".join("".join(str(t) for t in heading.itertext()).split())
        if heading_text and (heading_text == title or not title):
            title = title or heading_text
            _remove(heading)
            break
    return ParsedChapter(
        body=to_safe_html(_inner_html(body)),
        title=title,
        summary=summary,
        notes=notes,
        end_notes=end_notes,
    )


def _fields_from_title_page(rows: dict[str, str]) -> dict[str, object]:
    fields: dict[str, object] = {}
    for label, field in _TITLE_PAGE_LISTS.items():
        if rows.get(label):
            fields.setdefault(field, _split(rows[label]))
    if rows.get("rating"):
        fields["rating"] = rating_label(rows["rating"])
    if rows.get("status"):
        fields["complete"] = rows["status"].strip().lower() in ("completed", "complete")
    if rows.get("published"):
        fields["published"] = _as_date(rows["published"])
    if rows.get("updated"):
        fields["updated"] = _as_date(rows["updated"])
    chapters = re.match(r"\s*(\d+)\s*(?:/\s*(\d+|\?))?", rows.get("chapters", ""))
    if chapters and chapters.group(2) and chapters.group(2) != "?":
        fields["expected_chapters"] = int(chapters.group(2))
    return fields


def _merge(subject_fields: dict[str, object], page_fields: dict[str, object]) -> dict[str, object]:
    """Title-page fields win; subjects they already placed are not freeforms too."""
    merged = dict(subject_fields)
    placed = {
        value
        for key, values in page_fields.items()
        if key != "freeforms" and isinstance(values, tuple)
        for value in values
    }
    freeforms = subject_fields.get("freeforms", ())
    assert isinstance(freeforms, tuple)
    page_freeforms = page_fields.get("freeforms", ())
    assert isinstance(page_freeforms, tuple)
    merged["freeforms"] = tuple(
        dict.fromkeys([*page_freeforms, *(f for f in freeforms if f not in placed)])
    )
    for key, value in page_fields.items():
        if key != "freeforms" and value not in ("", None, ()):
            merged[key] = value
    return merged


def read_fanficfare_epub(data: bytes, name: str) -> ParsedWork:
    package = read_opf_package(open_zip(data, name), name)
    opf = package.opf
    titles = _texts(opf, ".//dc:title")
    if not titles or not titles[0]:
        raise FormatError(name, "its content.opf has no title")
    description = "".join(
        "".join(str(t) for t in node.itertext()) for node in opf.iterfind(".//dc:description", _NS)
    )
    subject_fields = classify_subjects(_texts(opf, ".//dc:subject"))
    page_fields: dict[str, object] = {}
    chapters: list[ParsedChapter] = []
    for path in package.spine:  # the table of contents page is never unpacked
        if path.endswith("title_page.xhtml"):
            page_fields = _fields_from_title_page(title_page_rows(package.document(path), name))
        elif _CHAPTER_FILE.search(path):
            chapters.append(read_chapter(package.document(path), f"{name}: {path}"))
    if not chapters:
        raise FormatError(name, "it has no chapter files (fileNNNN.xhtml)")
    published = None
    for node in opf.iterfind(".//dc:date", _NS):
        if node.get(_OPF_EVENT) == "publication":
            published = _as_date(node.text or "")
    series_title = _meta(opf, "calibre:series")
    position = _meta(opf, "calibre:series_index")
    series = (
        (SeriesRef(series_title, int(float(position)) if _is_number(position) else 0),)
        if series_title
        else ()
    )
    languages = _texts(opf, ".//dc:language")
    sources = _texts(opf, ".//dc:source")
    work = ParsedWork(
        title=titles[0],
        chapters=tuple(chapters),
        creators=tuple(c for c in _texts(opf, ".//dc:creator") if c),
        summary=to_safe_html(description),
        language=languages[0] if languages else "",
        series=series,
        published=published,
        source=sources[0] if sources else "",
        source_format="fanficfare-epub",
    )
    return replace(work, **_merge(subject_fields, page_fields))  # type: ignore[arg-type]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


class FanFicFareReader:
    """The FanFicFare EPUB reader for ``SPECIAL_READERS``."""

    name = "fanficfare"

    def sniff(self, data: bytes, name: str) -> bool:
        """FanFicFare's marks are in the package document or the title page: only those are read."""
        if not is_zip(data):
            return False
        try:
            book = open_zip(data, name)
            return any(
                mark in book.read(path)
                for path in sorted(book.paths)
                if path.endswith((".opf", "title_page.xhtml"))
                for mark in _FFF_MARKS
            )
        except FormatError:
            return False  # not a zip we can read: whoever reads it says why

    def read(self, data: bytes, name: str) -> ParsedWork:
        check_file_size(data, name)
        return read_fanficfare_epub(data, name)


FANFICFARE_READER = FanFicFareReader()
