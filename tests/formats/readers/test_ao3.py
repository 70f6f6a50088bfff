"""AO3 downloads (HTML and EPUB) read into ParsedWork; fixtures built here, own prose."""

# ruff: noqa: E501  (fixture markup keeps AO3's one-line-per-tag layout)

from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanfold.formats.errors import FormatError
from fanfold.formats.model import ParsedWork, SeriesRef
from fanfold.formats.readers.ao3 import AO3_READER
from fanfold.formats.safety import MAX_MEMBER_BYTES, MAX_UNPACKED_BYTES
from tests.formats.conftest import epub_of

PREFACE = """<div id="preface">
<h2 class="toc-heading">Preface</h2>
<p class="message"><b>Posted originally on the <a href="https://archiveofourown.org/">Archive of Our Own</a> at <a href="https://archiveofourown.org/works/111">https://archiveofourown.org/works/111</a>.</b></p>
<div class="meta">
<dl class="tags">
<dt>Rating:</dt><dd><a class="tag">Teen And Up Audiences</a></dd>
<dt>Archive Warning:</dt><dd><a class="tag">Graphic Depictions Of Violence</a>, <a class="tag">Major Character Death</a></dd>
<dt>Category:</dt><dd><a class="tag">F/M</a>, <a class="tag">Gen</a></dd>
<dt>Fandom:</dt><dd><a class="tag">Sherlock Holmes - Arthur Conan Doyle</a></dd>
<dt>Relationships:</dt><dd><a class="tag">Sherlock Holmes/Irene Adler</a>, <a class="tag">Sherlock Holmes &amp; John Watson</a></dd>
<dt>Characters:</dt><dd><a class="tag">Sherlock Holmes</a>, <a class="tag">John Watson</a></dd>
<dt>Additional Tags:</dt><dd><a class="tag">Fog</a>, <a class="tag">Case Fic</a></dd>
<dt>Language:</dt><dd>English</dd>
<dt>Series:</dt><dd>Part 2 of <a href="https://archiveofourown.org/series/9">Baker Street Weather</a></dd>
<dt>Stats:</dt><dd>Published: 2021-03-01 Updated: 2021-04-02 Words: 1,200 Chapters: 2/? </dd>
</dl>
<h1>The Lamplighter's Ledger</h1>
<div class="byline">by <a rel="author" href="/users/quill">quill</a>, <a rel="author" href="/users/inkwell">inkwell</a></div>
<p>Summary</p>
<blockquote class="userstuff"><p>Holmes counts the lamps and finds one too many.</p></blockquote>
<p>Notes</p>
<blockquote class="userstuff"><p>Written on a train.</p></blockquote>
<p>See the end of the work for <a href="#endnotes">more notes</a></p>
</div>
</div>
"""

CHAPTERS = """<div id="chapters" class="userstuff">
<div class="meta group">
<h2 class="heading">Chapter 1: Gaslight</h2>
<p>Chapter Summary</p>
<blockquote class="userstuff"><p>A lamp is lit twice.</p></blockquote>
<p>Chapter Notes</p>
<blockquote class="userstuff"><p>Thanks to my beta.</p></blockquote>
</div>
<div class="userstuff"><!--chapter content--><p>The fog came early that evening, and Watson complained of it.</p><!--/chapter content--></div>
<div class="meta group" id="endnotes1"><p>Chapter End Notes</p><blockquote class="userstuff"><p>More soon.</p></blockquote></div>
<div class="meta group">
<h2 class="heading">Chapter 2</h2>
</div>
<div class="userstuff"><p>Holmes said nothing for an hour, then everything at once.</p></div>
</div>
"""

AFTERWORD = """<div id="afterword">
<div id="endnotes"><p>End Notes</p><blockquote class="userstuff"><p>Thank you for reading.</p></blockquote></div>
</div>
"""

ONE_CHAPTER = """<div id="chapters" class="userstuff">
<h2 class="toc-heading">The Lamplighter's Ledger</h2>
<div class="userstuff"><p>Only one lamp burned on the whole street.</p></div>
</div>
"""


def page(*parts: str) -> bytes:
    body = "".join(parts)
    return f"<!DOCTYPE html><html><head><title>x</title></head><body>{body}</body></html>".encode()


def xhtml(body: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
        f"<head><title>x</title></head><body>{body}</body></html>"
    ).encode()


def epub(documents: list[tuple[str, bytes]]) -> bytes:
    manifest = "".join(
        f'<item id="d{i}" href="{path}" media-type="application/xhtml+xml"/>'
        for i, (path, _) in enumerate(documents)
    )
    spine = "".join(f'<itemref idref="d{i}"/>' for i in range(len(documents)))
    opf = (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="2.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>x</dc:title></metadata>'
        f"<manifest>{manifest}</manifest><spine>{spine}</spine></package>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" '
            'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>",
        )
        archive.writestr("OEBPS/content.opf", opf)
        for path, content in documents:
            archive.writestr(f"OEBPS/{path}", content)
    return buffer.getvalue()


MULTI_HTML = page(PREFACE, CHAPTERS, AFTERWORD)
MULTI_EPUB = epub(
    [
        ("preface.xhtml", xhtml(PREFACE)),
        ("chapter_1.xhtml", xhtml(CHAPTERS)),
        ("afterword.xhtml", xhtml(AFTERWORD)),
    ]
)


def check_multi(work: ParsedWork) -> None:
    assert work.title == "The Lamplighter's Ledger"
    assert work.creators == ("quill", "inkwell")
    assert work.rating == "Teen And Up Audiences"
    assert work.warnings == ("Graphic Depictions Of Violence", "Major Character Death")
    assert work.categories == ("F/M", "Gen")
    assert work.fandoms == ("Sherlock Holmes - Arthur Conan Doyle",)
    assert work.relationships == ("Sherlock Holmes/Irene Adler", "Sherlock Holmes & John Watson")
    assert work.characters == ("Sherlock Holmes", "John Watson")
    assert work.freeforms == ("Fog", "Case Fic")
    assert work.language == "English"
    assert work.series == (SeriesRef("Baker Street Weather", 2),)
    assert work.published == date(2021, 3, 1)
    assert work.updated == date(2021, 4, 2)
    assert work.expected_chapters is None
    assert not work.complete
    assert "one too many" in work.summary
    assert "train" in work.notes
    assert "Thank you for reading" in work.end_notes
    assert work.source == "https://archiveofourown.org/works/111"
    first, second = work.chapters
    assert first.title == "Gaslight"
    assert "lit twice" in first.summary
    assert "beta" in first.notes
    assert "More soon" in first.end_notes
    assert "fog came early" in first.body
    assert "<!--" not in first.body
    assert second.title == ""
    assert "everything at once" in second.body
    assert second.end_notes == ""


def test_multi_chapter_html() -> None:
    assert AO3_READER.sniff(MULTI_HTML, "whatever.bin")
    work = AO3_READER.read(MULTI_HTML, "ledger.html")
    check_multi(work)
    assert work.source_format == "ao3-html"


def test_multi_chapter_epub() -> None:
    assert AO3_READER.sniff(MULTI_EPUB, "whatever.bin")
    work = AO3_READER.read(MULTI_EPUB, "ledger.epub")
    check_multi(work)
    assert work.source_format == "ao3-epub"


def test_comments_between_labels_and_their_text_are_skipped() -> None:
    # Found by the fuzz test: a comment where a label's element should be.
    commented = MULTI_HTML.replace(b"<p>Chapter Summary</p>", b"<p>Chapter Summary</p><!-- x -->")
    commented = commented.replace(b"<dt>Rating:</dt>", b"<dt>Rating:</dt><!-- y -->")
    commented = commented.replace(b"<p>Summary</p>", b"<!-- z --><p>Summary</p><!-- z -->")
    check_multi(AO3_READER.read(commented, "ledger.html"))


def test_completed_stats_and_one_chapter() -> None:
    preface = PREFACE.replace(
        "Published: 2021-03-01 Updated: 2021-04-02 Words: 1,200 Chapters: 2/?",
        "Published: 2020-01-05 Completed: 2020-02-06 Words: 10 Chapters: 1/1",
    )
    for data in (page(preface, ONE_CHAPTER), epub([("a.xhtml", xhtml(preface + ONE_CHAPTER))])):
        work = AO3_READER.read(data, "one")
        assert work.complete
        assert work.expected_chapters == 1
        assert work.updated == date(2020, 2, 6)
        assert len(work.chapters) == 1
        assert "Only one lamp" in work.chapters[0].body
        assert work.end_notes == ""


def test_two_series_and_unlinked_byline() -> None:
    preface = PREFACE.replace(
        'Part 2 of <a href="https://archiveofourown.org/series/9">Baker Street Weather</a>',
        'Part 2 of <a href="/series/9">Baker Street Weather</a>, Part 10 of <a href="/series/4">Fog, Again</a>',
    ).replace(
        '<div class="byline">by <a rel="author" href="/users/quill">quill</a>, <a rel="author" href="/users/inkwell">inkwell</a></div>',
        '<div class="byline">by Anonymous</div>',
    )
    work = AO3_READER.read(page(preface, ONE_CHAPTER), "two.html")
    assert work.series == (SeriesRef("Baker Street Weather", 2), SeriesRef("Fog, Again", 10))
    assert work.creators == ("Anonymous",)


def test_sniff_ignores_other_html_and_name() -> None:
    assert not AO3_READER.sniff(page("<p>A story about AO3 fans.</p>"), "ao3.html")
    assert not AO3_READER.sniff(epub([("a.xhtml", xhtml("<p>plain</p>"))]), "ao3.epub")


def test_preface_without_chapters_is_a_format_error() -> None:
    with pytest.raises(FormatError, match=r"ledger\.html"):
        AO3_READER.read(page(PREFACE), "ledger.html")


def test_epub_split_piece_without_heading_is_not_a_chapter() -> None:
    reopen = '</div><div id="chapters" class="userstuff">'
    split = CHAPTERS.replace(
        '<div class="meta group" id="endnotes1">',
        reopen + '<div class="meta group" id="endnotes1">',
    ).replace(
        '<div class="meta group">\n<h2 class="heading">Chapter 2',
        reopen + '<div class="meta group"><h2 class="heading">Chapter 2',
    )
    assert split.count(reopen) == 2
    work = AO3_READER.read(epub([("p.xhtml", xhtml(PREFACE)), ("c.xhtml", xhtml(split))]), "s")
    assert len(work.chapters) == 2
    assert "More soon" in work.chapters[0].end_notes


def test_an_ao3_epub_is_known_and_read_without_unpacking_its_pictures() -> None:
    picture = bytes(MAX_UNPACKED_BYTES + 1)  # reading it at all would refuse the book
    documents = {"preface.xhtml": xhtml(PREFACE), "chapter_1.xhtml": xhtml(CHAPTERS)}
    book = epub_of(documents | {"afterword.xhtml": xhtml(AFTERWORD)}, {"cover.jpg": picture})
    assert AO3_READER.sniff(book, "ledger.epub")
    check_multi(AO3_READER.read(book, "ledger.epub"))


def test_an_ao3_epub_with_a_chapter_that_unpacks_to_too_much_is_refused_by_name() -> None:
    bomb = xhtml(CHAPTERS + "<p>" + "a" * MAX_MEMBER_BYTES + "</p>")
    book = epub([("preface.xhtml", xhtml(PREFACE)), ("chapter_1.xhtml", bomb)])
    assert AO3_READER.sniff(book, "ledger.epub")  # from its preface: the bomb is not opened
    with pytest.raises(FormatError, match=r"^ledger\.epub: OEBPS/chapter_1\.xhtml is too large"):
        AO3_READER.read(book, "ledger.epub")


def test_broken_zip_is_a_format_error() -> None:
    with pytest.raises(FormatError, match=r"bad\.epub"):
        AO3_READER.read(MULTI_EPUB[: len(MULTI_EPUB) // 2], "bad.epub")


def _mutate(data: bytes, cuts: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for position, length, insert in cuts:
        at = position % (len(out) + 1)
        out[at : at + length] = insert
    return bytes(out)


MUTATIONS = st.lists(
    st.tuples(st.integers(0, 1 << 20), st.integers(0, 64), st.binary(max_size=16)), max_size=6
)


def _fuzzed(which: str, cuts: list[tuple[int, int, bytes]]) -> bytes:
    if which == "html":
        return _mutate(MULTI_HTML, cuts)
    if which == "epub-bytes":  # mostly exercises the zip layer (CRCs break)
        return _mutate(MULTI_EPUB, cuts)
    # a valid zip around mutated XHTML exercises the markup layer of the EPUB path
    return epub(
        [
            ("preface.xhtml", _mutate(xhtml(PREFACE), cuts)),
            ("chapter_1.xhtml", _mutate(xhtml(CHAPTERS), cuts[::-1])),
            ("afterword.xhtml", xhtml(AFTERWORD)),
        ]
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cuts=MUTATIONS, which=st.sampled_from(["html", "epub-bytes", "epub-xhtml"]))
def test_fuzzed_ao3_files_read_or_raise_format_error(
    cuts: list[tuple[int, int, bytes]], which: str
) -> None:
    data = _fuzzed(which, cuts)
    try:
        result = AO3_READER.read(data, "fuzz")
    except FormatError:
        return
    assert isinstance(result, ParsedWork)
