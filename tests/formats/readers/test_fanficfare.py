"""FanFicFare EPUBs read into ParsedWork; the EPUB is built here with our own prose."""

# ruff: noqa: E501  (fixture markup keeps FanFicFare's one-line rows)

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
from fanfold.formats.readers.fanficfare import FANFICFARE_READER
from fanfold.formats.safety import MAX_MEMBER_BYTES

OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package version="2.0" xmlns="http://www.idpf.org/2007/opf" unique-identifier="fanficfare-uid">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">
<dc:identifier id="fanficfare-uid">fanficfare-uid:archiveofourown.org-u42-s777</dc:identifier>
<dc:title>Tea at the Burrow</dc:title>
<dc:creator opf:role="aut">marmalade</dc:creator>
<dc:creator opf:role="aut">crumpet</dc:creator>
<dc:contributor opf:role="bkp">FanFicFare [https://github.com/JimmXinu/FanFicFare]</dc:contributor>
<dc:language>en</dc:language>
<dc:publisher>archiveofourown.org</dc:publisher>
<dc:date opf:event="publication">2019-05-04</dc:date>
<dc:date opf:event="modification">2024-01-01</dc:date>
<dc:description>&lt;p&gt;Molly bakes; Arthur fixes a toaster.&lt;/p&gt;</dc:description>
<dc:source>https://archiveofourown.org/works/777</dc:source>
<dc:subject>Mature</dc:subject>
<dc:subject>No Archive Warnings Apply</dc:subject>
<dc:subject>F/M</dc:subject>
<dc:subject>Harry Potter - J. K. Rowling</dc:subject>
<dc:subject>Molly Weasley</dc:subject>
<dc:subject>Arthur Weasley/Molly Weasley</dc:subject>
<dc:subject>Domestic Fluff</dc:subject>
<dc:subject>Last Update: 2019/06/07</dc:subject>
<dc:subject>In-Progress</dc:subject>
<meta name="calibre:series" content="Kitchen Stories"/>
<meta name="calibre:series_index" content="3.0"/>
</metadata>
<manifest>
<item id="title_page" href="OEBPS/title_page.xhtml" media-type="application/xhtml+xml"/>
<item id="toc_page" href="OEBPS/toc_page.xhtml" media-type="application/xhtml+xml"/>
<item id="file0001" href="OEBPS/file0001.xhtml" media-type="application/xhtml+xml"/>
<item id="file0002" href="OEBPS/file0002.xhtml" media-type="application/xhtml+xml"/>
</manifest>
<spine toc="ncx">
<itemref idref="title_page"/><itemref idref="toc_page"/><itemref idref="file0001"/><itemref idref="file0002"/>
</spine>
</package>
"""

TITLE_PAGE = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Tea at the Burrow by marmalade</title></head>
<body class="fff_titlepage">
<h3><a href="https://archiveofourown.org/works/777">Tea at the Burrow</a> by marmalade, crumpet</h3>
<div>
<b>Series:</b> <a href="https://archiveofourown.org/series/5">Kitchen Stories [3]</a><br/>
<b>Category:</b> Harry Potter - J. K. Rowling<br/>
<b>Genre:</b> Domestic Fluff<br/>
<b>Language:</b> English<br/>
<b>Characters:</b> Molly Weasley<br/>
<b>Relationships:</b> Arthur Weasley/Molly Weasley<br/>
<b>Status:</b> In-Progress<br/>
<b>Published:</b> 2019-05-04<br/>
<b>Updated:</b> 2019-06-07<br/>
<b>Rating:</b> Mature<br/>
<b>Warnings:</b> No Archive Warnings Apply<br/>
<b>Chapters:</b> 2/3<br/>
<b>Words:</b> 40<br/>
<b>Publisher:</b> archiveofourown.org<br/>
<b>Summary:</b> Molly bakes; Arthur fixes a toaster.<br/>
</div>
</body></html>
"""

CHAPTER_1 = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Flour</title>
<meta name="chapterurl" content="https://archiveofourown.org/works/777/chapters/1"/>
<meta name="chapterorigtitle" content="1. Flour"/>
<meta name="chaptertoctitle" content="1. Flour"/>
<meta name="chaptertitle" content="Flour"/>
</head><body>
<h3 class="fff_chapter_title">Flour</h3>
<div class="fff_chapter_notes fff_head_notes"><b>Summary for the Chapter:</b><blockquote><p>The flour runs out.</p></blockquote></div>
<div class="fff_chapter_notes fff_head_notes"><b>Notes for the Chapter:</b><blockquote><p>For my gran.</p></blockquote></div>
<p>Molly measured the last of the flour with a frown that could curdle cream.</p>
<div class="fff_chapter_notes fff_foot_notes"><b>Notes for the Chapter:</b><blockquote><p>Recipe next time.</p></blockquote></div>
</body></html>
"""

CHAPTER_2 = """<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Toaster</title>
<meta name="chaptertitle" content="Toaster"/>
</head><body>
<h3 class="fff_chapter_title">Toaster</h3>
<div class="fff_chapter_notes fff_head_notes"><b>Author's Note:</b><blockquote><p>Short one.</p></blockquote></div>
<p>Arthur held the toaster up to the light as if it might confess.</p>
</body></html>
"""

CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
    '<rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>'
)


def build_epub(
    opf: str = OPF,
    chapters: tuple[str, ...] = (CHAPTER_1, CHAPTER_2),
    title_page: str = TITLE_PAGE,
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip")
        archive.writestr("META-INF/container.xml", CONTAINER)
        archive.writestr("content.opf", opf)
        archive.writestr("OEBPS/title_page.xhtml", title_page)
        archive.writestr("OEBPS/toc_page.xhtml", "<html><body><p>toc</p></body></html>")
        for number, chapter in enumerate(chapters, start=1):
            archive.writestr(f"OEBPS/file{number:04d}.xhtml", chapter)
    return buffer.getvalue()


def test_sniff_by_generator_marks_not_name() -> None:
    data = build_epub()
    assert FANFICFARE_READER.sniff(data, "anything.zip")
    assert not AO3_READER.sniff(data, "anything.zip")
    plain = build_epub(
        opf=OPF.replace("fanficfare-uid:", "urn:x:").replace("FanFicFare", "Someone"),
        title_page=TITLE_PAGE.replace("fff_titlepage", "titlepage"),
    )
    assert not FANFICFARE_READER.sniff(plain, "fanficfare.epub")


def test_metadata_from_opf_and_title_page() -> None:
    work = FANFICFARE_READER.read(build_epub(), "tea.epub")
    assert work.title == "Tea at the Burrow"
    assert work.creators == ("marmalade", "crumpet")
    assert work.summary == "<p>Molly bakes; Arthur fixes a toaster.</p>"
    assert work.rating == "Mature"
    assert work.warnings == ("No Archive Warnings Apply",)
    assert work.categories == ("F/M",)
    assert work.fandoms == ("Harry Potter - J. K. Rowling",)
    assert work.characters == ("Molly Weasley",)
    assert work.relationships == ("Arthur Weasley/Molly Weasley",)
    assert work.freeforms == ("Domestic Fluff",)
    assert work.series == (SeriesRef("Kitchen Stories", 3),)
    assert work.published == date(2019, 5, 4)
    assert work.updated == date(2019, 6, 7)
    assert work.expected_chapters == 3
    assert not work.complete
    assert work.language == "en"
    assert work.source == "https://archiveofourown.org/works/777"
    assert work.source_format == "fanficfare-epub"


def test_subjects_alone_when_no_title_page_rows() -> None:
    bare_page = '<html><body class="fff_titlepage"><h3>Tea at the Burrow</h3></body></html>'
    data = build_epub(title_page=bare_page)
    work = FANFICFARE_READER.read(data, "tea.epub")
    assert work.rating == "Mature"
    assert work.updated == date(2019, 6, 7)
    # without the title page the subjects cannot tell fandoms from freeforms
    assert "Harry Potter - J. K. Rowling" in work.freeforms
    assert "Domestic Fluff" in work.freeforms
    assert "In-Progress" not in work.freeforms


def test_chapters_and_notes_divs() -> None:
    first, second = FANFICFARE_READER.read(build_epub(), "tea.epub").chapters
    assert first.title == "Flour"
    assert "flour runs out" in first.summary
    assert "For my gran" in first.notes
    assert "Recipe next time" in first.end_notes
    assert "last of the flour" in first.body
    assert "gran" not in first.body
    assert "Recipe" not in first.body
    assert "<h3" not in first.body
    assert second.title == "Toaster"
    assert "Short one" in second.notes
    assert "Author's Note" not in second.notes
    assert "confess" in second.body


def test_completed_status_subject() -> None:
    data = build_epub(
        opf=OPF.replace("In-Progress", "Completed"),
        title_page=TITLE_PAGE.replace("In-Progress", "Completed"),
    )
    assert FANFICFARE_READER.read(data, "tea.epub").complete


def test_sniffing_reads_only_the_package_and_title_page() -> None:
    # A chapter that unpacks past every limit: opening it would make sniffing fail.
    bomb = CHAPTER_2.replace("</body>", "<p>" + "a" * MAX_MEMBER_BYTES + "</p></body>")
    book = build_epub(chapters=(CHAPTER_1, bomb))
    assert FANFICFARE_READER.sniff(book, "tea.epub")
    with pytest.raises(FormatError, match=r"^tea\.epub: OEBPS/file0002\.xhtml is too large"):
        FANFICFARE_READER.read(book, "tea.epub")


def test_no_chapters_is_a_format_error() -> None:
    with pytest.raises(FormatError, match=r"tea\.epub"):
        FANFICFARE_READER.read(build_epub(chapters=()), "tea.epub")


def test_entity_bomb_in_opf_is_refused_not_expanded() -> None:
    bomb = OPF.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>',
    ).replace("Tea at the Burrow</dc:title>", "&b;</dc:title>")
    try:
        work = FANFICFARE_READER.read(build_epub(opf=bomb), "bomb.epub")
    except FormatError:
        return
    assert "aaaa" not in work.title


def _mutate(text: str, cuts: list[tuple[int, int, bytes]]) -> str:
    out = bytearray(text.encode())
    for position, length, insert in cuts:
        at = position % (len(out) + 1)
        out[at : at + length] = insert
    return out.decode("utf-8", errors="replace")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cuts=st.lists(
        st.tuples(st.integers(0, 1 << 16), st.integers(0, 40), st.binary(max_size=12)),
        max_size=6,
    )
)
def test_fuzzed_fanficfare_epub_reads_or_raises_format_error(
    cuts: list[tuple[int, int, bytes]],
) -> None:
    data = build_epub(
        opf=_mutate(OPF, cuts[:1]),
        chapters=(_mutate(CHAPTER_1, cuts), CHAPTER_2),
        title_page=_mutate(TITLE_PAGE, cuts[::-1]),
    )
    try:
        result = FANFICFARE_READER.read(data, "fuzz.epub")
    except FormatError:
        return
    assert isinstance(result, ParsedWork)
