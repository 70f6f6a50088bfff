"""``read_bytes`` and ``read_chapter_files``: any file in, one ``ParsedWork`` out.

``read_bytes`` promises to choose a reader by what a file holds, never by
its name: the readers of known structures first (AO3 downloads, FanFicFare
EPUBs), then EPUB, Word, HTML and text. Every problem, whichever reader
meets it, is a ``FormatError`` whose message starts with the file's name.
``read_chapter_files`` reads several text, HTML or Word files as the
chapters of one work, put in story order.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanfold.formats.errors import FormatError
from fanfold.formats.model import ParsedChapter, ParsedWork
from fanfold.formats.readers import read_bytes, read_chapter_files
from fanfold.formats.safety import MAX_FILE_BYTES
from fanfold.formats.writers import write_epub, write_html
from tests.formats.conftest import STORY, docx_bytes, ebooklib_epub, epub_of, page, zip_of

SHORT_WORK = ParsedWork(
    title="Rain", creators=("me",), chapters=(ParsedChapter(body=f"<p>{STORY}</p>"),)
)


def test_an_epub_is_read_as_an_epub_whatever_its_name() -> None:
    book = epub_of({"ch1.xhtml": page(f"<h2>One</h2><p>{STORY}</p>")})
    work = read_bytes(book, name="story.txt")
    assert work.source_format == "epub"
    assert work.title == "Fog"  # from the book's metadata


def test_a_word_document_is_read_as_one_whatever_its_name() -> None:
    work = read_bytes(docx_bytes("Chapter 1: Fog", STORY), name="story.epub")
    assert work.chapters[0].title == "Fog"
    assert "walked it alone" in work.chapters[0].body


def test_an_html_page_is_read_as_html_whatever_its_name() -> None:
    html = f"<html><head><title>The Lane</title></head><body><p>{STORY}</p></body></html>"
    work = read_bytes(html.encode(), name="story.txt")
    assert work.title == "The Lane"
    assert "<html>" not in work.chapters[0].body


@pytest.mark.parametrize(
    ("data", "source_format"),
    [(write_html(SHORT_WORK).encode(), "ao3-html"), (write_epub(SHORT_WORK), "ao3-epub")],
)
def test_an_ao3_shaped_download_goes_to_the_ao3_reader_before_the_general_ones(
    data: bytes, source_format: str
) -> None:
    work = read_bytes(data, name="download.bin")
    assert work.source_format == source_format
    assert work.creators == ("me",)  # read from the preface, as only the AO3 reader does


def test_a_fanficfare_epub_goes_to_the_fanficfare_reader_before_the_general_one() -> None:
    title_page = page('<div class="fff_titlepage"><b>Title:</b> Fog<br/></div>')
    book = epub_of({"title_page.xhtml": title_page, "file0001.xhtml": page(f"<p>{STORY}</p>")})
    work = read_bytes(book, name="fog.epub")
    assert work.source_format == "fanficfare-epub"
    assert "walked it alone" in work.chapters[0].body


def test_an_epub_from_another_tool_is_read_by_the_general_epub_reader() -> None:
    assert read_bytes(ebooklib_epub(), name="rain.epub").source_format == "epub"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("picture.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "not a text"),
        ("empty.txt", b"   \n", "empty"),
        ("huge.txt", b"a" * (MAX_FILE_BYTES + 1), "MB"),
        ("broken.epub", b"PK\x03\x04 not really a zip", "zip"),
        ("other.zip", zip_of({"notes.txt": b"hello"}), "neither an EPUB nor a Word"),
        ("bomb.epub", zip_of({f"f{i}.txt": b"x" for i in range(2100)}), "more than"),
        ("deep.epub", epub_of({"big.xhtml": b"\0" * (40 * 1024 * 1024)}), "too large"),
    ],
)
def test_bad_files_are_refused_by_name_with_the_reason(name: str, data: bytes, reason: str) -> None:
    with pytest.raises(FormatError) as refused:
        read_bytes(data, name=name)
    assert str(refused.value).startswith(f"{name}: ")
    assert reason in str(refused.value)


# Built once: ebooklib stamps the time into its books, and the fuzzer needs fixed seeds.
FUZZ_SEEDS = [
    docx_bytes("Chapter 1: Fog", STORY),
    ebooklib_epub(),
    f"<html><body><h2>A</h2><p>{STORY}</p><h2>B</h2><p>{STORY}</p></body></html>".encode(),
    f"A/N: hi\n\n{STORY}".encode(),
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_files_give_a_work_or_a_clear_error(data: st.DataObject) -> None:
    original = bytearray(data.draw(st.sampled_from(FUZZ_SEEDS)))
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.integers(0, 255))
    try:
        work = read_bytes(bytes(original), name="mutated")
    except FormatError as error:
        message = str(error)
    else:
        assert isinstance(work, ParsedWork)
        return
    assert message.startswith("mutated: ")


# --- chapter files -------------------------------------------------------------------------


def test_chapter_files_in_any_order_become_one_work() -> None:
    files = [
        ("b.txt", f"Chapter 2: Later\n\n{STORY}".encode()),
        ("a.docx", docx_bytes("Chapter 1: First", STORY)),
    ]
    work = read_chapter_files(files)
    assert [c.title for c in work.chapters] == ["First", "Later"]
    assert any("order" in message for message in work.messages)


def test_html_chapter_files_are_read_as_their_text() -> None:
    files = [("one.html", f"<p>Chapter 1: Fog</p><p>{STORY}</p>".encode())]
    (chapter,) = read_chapter_files(files).chapters
    assert chapter.title == "Fog"
    assert "<p>Chapter 1" not in chapter.body


def test_no_chapter_files_is_refused() -> None:
    with pytest.raises(FormatError, match=r"^\(no files\): there is nothing to read$"):
        read_chapter_files([])


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("two.txt", b"a" * (MAX_FILE_BYTES + 1), "MB"),
        ("whole.epub", epub_of({"ch1.xhtml": page(f"<p>{STORY}</p>")}), "a whole work"),
        ("cover.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "not a text"),
    ],
)
def test_a_bad_chapter_file_is_refused_by_its_own_name(name: str, data: bytes, reason: str) -> None:
    files = [("one.txt", f"Chapter 1: Fog\n\n{STORY}".encode()), (name, data)]
    with pytest.raises(FormatError) as refused:
        read_chapter_files(files)
    assert str(refused.value).startswith(f"{name}: ")
    assert reason in str(refused.value)
