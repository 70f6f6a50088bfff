"""General readers: any EPUB, Word document, HTML page or text file, and hostile ones.

They promise to read a file by no site's conventions: an EPUB's chapters
from its spine (navigation and front matter left out) and its title,
creators, summary and subjects from its metadata; a Word document through
mammoth as HTML; an HTML page split at its ``<h2>`` headings; a text file
through the reading engine, notes apart. Each part of a file is bounded
before it is parsed and unpacked only when needed, and whatever is too
much is refused with a ``FormatError`` naming the file.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from fanfold.formats.errors import FormatError
from fanfold.formats.model import ParsedWork
from fanfold.formats.readers import read_bytes, read_chapter_files
from fanfold.formats.safety import (
    MAX_MEMBER_BYTES,
    MAX_TAGS,
    MAX_UNPACKED_BYTES,
    open_zip,
    sharing_zips,
)
from tests.conftest import SEEDS
from tests.formats.conftest import STORY, docx_bytes, ebooklib_epub, epub_of, page, zip_of


def test_plain_text_is_one_chapter_with_notes_apart() -> None:
    text = f"A/N: my first fic!\n\nChapter 1: The Lane\n\n{STORY}\n\nPlease review!"
    work = read_bytes(text.encode(), name="lane.txt")
    (chapter,) = work.chapters
    assert chapter.title == "The Lane"
    assert "my first fic" in chapter.notes
    assert "Please review" in chapter.end_notes
    assert "walked it alone" in chapter.body
    assert "first fic" not in chapter.body


def test_windows_1252_smart_quotes_survive() -> None:
    text = f"“Don’t,” she said at the café. {STORY}"
    work = read_bytes(text.encode("cp1252"), name="old.txt")
    assert "“Don’t,” she said at the café." in work.chapters[0].body


def test_utf16_with_a_byte_order_mark_is_read() -> None:
    work = read_bytes(STORY.encode("utf-16"), name="wide.txt")
    assert "walked it alone" in work.chapters[0].body


def test_html_with_chapter_headings_is_a_work_of_chapters() -> None:
    page = (
        "<html><head><title>Two Walks</title></head><body>"
        f"<h2>One</h2><p>{STORY}</p><script>alert(1)</script>"
        f"<h2>Two</h2><p onclick='x()'>{STORY}</p></body></html>"
    )
    work = read_bytes(page.encode(), name="walks.html")
    assert work.title == "Two Walks"
    assert [c.title for c in work.chapters] == ["One", "Two"]
    assert "script" not in work.chapters[0].body
    assert "onclick" not in work.chapters[1].body


def test_a_word_document_is_read() -> None:
    work = read_bytes(docx_bytes("Chapter 1: Fog", STORY), name="fog.docx")
    assert work.chapters[0].title == "Fog"
    assert "walked it alone" in work.chapters[0].body


def test_an_epub_from_another_tool_is_read_without_its_navigation_page() -> None:
    work = read_bytes(ebooklib_epub(), name="rain.epub")
    assert work.title == "Rain at Netherfield"
    assert work.creators == ("marginalia",)
    assert [c.title for c in work.chapters] == ["Part 1", "Part 2"]
    assert "evening" in work.chapters[1].body
    assert "Walking" in work.freeforms
    assert "walk in the rain" in work.summary


@pytest.mark.seeds
def test_the_seeds_are_taking_chances_in_story_order_with_notes_apart() -> None:
    work = read_chapter_files([(p.name, p.read_bytes()) for p in sorted(SEEDS.glob("*.txt"))])
    assert work.title == "Taking Chances"
    first, second = work.chapters
    assert first.body.startswith("<p>Mark Sloan turned the key")
    assert "my other story" in first.notes
    assert "I don&#x27;t own" in first.notes or "I don't own" in first.notes
    assert second.body.startswith("<p>Mark cornered Derek")
    assert "<hr>" in second.body


def test_a_zip_needing_a_newer_unzip_is_refused_by_name() -> None:
    # Found by the fuzz test: zipfile raises NotImplementedError while it
    # reads the central directory of a zip whose entry asks for version 6.4.
    book = bytearray(zip_of({"mimetype": b"application/epub+zip"}))
    entry = book.rindex(b"PK\x01\x02")
    book[entry + 6] = 64  # "version needed to extract"
    with pytest.raises(FormatError, match=r"^new\.epub: it is not a readable zip/EPUB file"):
        read_bytes(bytes(book), name="new.epub")


def test_entity_expansion_in_an_epub_is_not_followed(full_work: ParsedWork) -> None:
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<container>&lol2;</container>"
    )
    book = zip_of({"mimetype": b"application/epub+zip", "META-INF/container.xml": laughs})
    with pytest.raises(FormatError, match=r"^bomb\.epub: "):
        read_bytes(book, name="bomb.epub")


# --- hostile files: each bounded before it is parsed ---------------------------------------

DEEP = "<div>" * 1000 + f"<p>{STORY}</p>" + "</div>" * 1000


def test_an_html_chapter_nested_past_lxmls_limit_keeps_its_text() -> None:
    html = f"<html><body><h2>One</h2><p>{STORY}</p><h2>Two</h2>{DEEP}<p>The end.</p></body></html>"
    work = read_bytes(html.encode(), name="deep.html")
    assert "walked it alone" in work.chapters[1].body
    assert "The end." in work.chapters[1].body


def test_an_epub_chapter_nested_past_lxmls_limit_keeps_its_text() -> None:
    work = read_bytes(epub_of({"ch1.xhtml": page(DEEP + "<p>The end.</p>")}), name="deep.epub")
    assert "walked it alone" in work.chapters[0].body
    assert "The end." in work.chapters[0].body


def test_an_epub_is_read_without_unpacking_its_pictures() -> None:
    # The picture unpacks past every limit: reading it at all would refuse the book.
    picture = bytes(MAX_UNPACKED_BYTES + 1)
    book = epub_of({"ch1.xhtml": page(f"<p>{STORY}</p>")}, {"images/cover.jpg": picture})
    assert "walked it alone" in read_bytes(book, name="pictures.epub").chapters[0].body


def test_reading_an_epub_unpacks_each_part_it_needs_once_and_nothing_else() -> None:
    chapters = {"ch1.xhtml": page(f"<p>{STORY}</p>"), "ch2.xhtml": page(f"<p>{STORY}</p>")}
    book = epub_of(chapters, {"cover.jpg": bytes(10_000), "style.css": b"p { margin: 0 }"})
    with sharing_zips():  # the readers' sniffing and reading share the open zip
        read_bytes(book, name="two.epub")
        unpacked = open_zip(book, "two.epub").unpacked_bytes
    needed = ["META-INF/container.xml", "OEBPS/content.opf", "OEBPS/ch1.xhtml", "OEBPS/ch2.xhtml"]
    archive = zipfile.ZipFile(io.BytesIO(book))
    assert unpacked == sum(archive.getinfo(path).file_size for path in needed)


def test_an_epub_chapter_that_unpacks_to_too_much_is_refused_by_name() -> None:
    book = epub_of({"ch1.xhtml": page("<p>" + "a" * (MAX_MEMBER_BYTES + 1) + "</p>")})
    with pytest.raises(FormatError, match=r"^bomb\.epub: OEBPS/ch1\.xhtml is too large"):
        read_bytes(book, name="bomb.epub")


def test_an_epub_chapter_with_too_many_tags_is_refused_by_name() -> None:
    book = epub_of({"ch1.xhtml": page("<b></b>" * (MAX_TAGS // 2 + 1))})
    with pytest.raises(FormatError, match=r"^tags\.epub: .*too much markup"):
        read_bytes(book, name="tags.epub")


def word_document_with(members: dict[str, bytes]) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(docx_bytes("Chapter 1: Fog", STORY)))
    parts = {info.filename: archive.read(info) for info in archive.infolist()}
    return zip_of(parts | members)


PICTURE_XML = (
    '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
    'wordprocessingDrawing"><wp:docPr id="1" name="Picture"/><a:graphic xmlns:a="http://schemas.'
    'openxmlformats.org/drawingml/2006/main"><a:graphicData><pic:pic xmlns:pic="http://schemas.'
    'openxmlformats.org/drawingml/2006/picture"><pic:blipFill><a:blip xmlns:r="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships" r:embed="rIdPicture"/></pic:blipFill>'
    "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
)


def with_a_bad_checksum(book: bytes, path: str) -> bytes:
    """The zip with one member's checksum wrong: unpacking that member fails."""
    data = bytearray(book)
    entry = data.index(b"PK\x01\x02")  # the central directory's entries, in turn
    while data[entry + 46 : entry + 46 + len(path)] != path.encode():
        entry = data.index(b"PK\x01\x02", entry + 4)
    data[entry + 16] ^= 0xFF
    return bytes(data)


def test_a_word_document_is_read_without_unpacking_its_pictures() -> None:
    # mammoth unpacks a picture to embed it; unpacking this one would fail.
    relationships = (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rIdPicture" Type="http://schemas.openxmlformats.'
        'org/officeDocument/2006/relationships/image" Target="media/image1.png"/></Relationships>'
    )
    document = zipfile.ZipFile(io.BytesIO(docx_bytes(STORY))).read("word/document.xml")
    book = word_document_with(
        {
            "word/document.xml": document.replace(
                b"</w:body>", PICTURE_XML.encode() + b"</w:body>"
            ),
            "word/_rels/document.xml.rels": relationships.encode(),
            "word/media/image1.png": bytes(MAX_UNPACKED_BYTES + 1),
        }
    )
    book = with_a_bad_checksum(book, "word/media/image1.png")
    assert "walked it alone" in read_bytes(book, name="fog.docx").chapters[0].body


def test_a_word_document_that_unpacks_to_too_much_is_refused_by_name() -> None:
    bomb = b'<?xml version="1.0"?><w:document>' + b" " * MAX_MEMBER_BYTES + b"</w:document>"
    document = word_document_with({"word/document.xml": bomb})
    with pytest.raises(FormatError, match=r"^fog\.docx: word/document\.xml is too large"):
        read_bytes(document, name="fog.docx")
