"""Bounds for untrusted input: zips unpacked lazily within limits, markup bounded and flattened."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from fanfold.formats.errors import FormatError
from fanfold.formats.nesting import TAG_OR_COMMENT
from fanfold.formats.safety import (
    MAX_HTML_DEPTH,
    MAX_MEMBER_BYTES,
    MAX_TAGS,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_TAGS,
    BoundedZip,
    flatten_deep_html,
    open_zip,
    parse_html,
    parse_xml,
    sharing_zips,
)

MB = 1024 * 1024


def zip_of(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for path, content in members.items():
            archive.writestr(path, content)
    return buffer.getvalue()


def depth(root: etree._Element) -> int:
    return max(len(list(element.iterancestors())) for element in root.iter())


# --- flattening -----------------------------------------------------------------------


def test_flattening_keeps_every_word_and_bounds_the_depth() -> None:
    deep = "<div>word " * 1000 + "</div>" * 1000 + "<p>END</p>"
    flattened = flatten_deep_html(deep, max_depth=50)
    root = parse_html(flattened, "deep.html")
    assert depth(root) <= 50 + 2  # html and body
    assert root.text_content().split() == ["word"] * 1000 + ["END"]


def test_shallow_html_comes_back_as_it_was() -> None:
    html = "<p>One.</p><p>Two <em>and</em> three.</p>"
    assert flatten_deep_html(html, max_depth=MAX_HTML_DEPTH) is html


def test_bytes_are_flattened_in_place_whatever_the_encoding() -> None:
    deep = ("<div>café " * 300).encode() + b"</div>" * 300
    flattened = flatten_deep_html(deep, max_depth=10)
    assert flattened.count(b"<div>") == 10
    assert flattened.decode().count("café") == 300


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html=st.text(alphabet=st.sampled_from(list("<>/=\"' !-pdivbaxé\n")), max_size=300))
def test_flattening_any_string_only_removes_whole_tags(html: str) -> None:
    flattened = flatten_deep_html(html, max_depth=2)
    assert TAG_OR_COMMENT.sub("", flattened) == TAG_OR_COMMENT.sub("", html)


@settings(max_examples=100, deadline=None)
@given(
    opened=st.lists(
        st.tuples(
            st.sampled_from(["div", "blockquote", "span", "b", "p", "li", "table", "td"]),
            st.sampled_from(["rain", "wind", "snow"]),
        ),
        min_size=1,
        max_size=400,
    )
)
def test_flattened_nesting_reads_back_with_all_its_words(opened: list[tuple[str, str]]) -> None:
    html = "".join(f"<{tag}>{word} " for tag, word in opened)
    root = parse_html(flatten_deep_html(html, max_depth=5), "nested.html")
    assert depth(root) <= 5 + 2
    assert root.text_content().split() == [word for _, word in opened]


# --- markup bounds ----------------------------------------------------------------------


def test_html_nested_past_libxml2s_limit_keeps_all_its_text() -> None:
    # libxml2 alone stops at depth 256 and silently drops the rest.
    root = parse_html("<div>x" * 1000 + "</div>" * 1000 + "<p>END</p>", "deep.html")
    text = root.text_content()
    assert text.count("x") == 1000
    assert text.endswith("END")


def test_a_paragraph_longer_than_libxml2s_text_limit_is_read_whole() -> None:
    # libxml2 alone drops the whole document, silently, past 10 MB of text in one node.
    root = parse_html("<p>" + "word " * 2_100_000 + "</p><p>END</p>", "long.html")
    assert root.text_content().endswith("END")


def test_html_with_too_many_tags_is_refused_by_name() -> None:
    with pytest.raises(FormatError, match=r"^chapter\.xhtml: it has too much markup"):
        parse_html(b"<b></b>" * (MAX_TAGS // 2 + 1), "chapter.xhtml")


def test_xml_nested_too_deeply_is_refused_in_plain_words() -> None:
    with pytest.raises(FormatError, match=r"^content\.opf: its XML nests too deeply"):
        parse_xml(b"<a>" * 300 + b"</a>" * 300, "content.opf")


def test_xml_entities_are_not_expanded() -> None:
    laughs = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;&a;</x>'
    root = parse_xml(laughs, "container.xml")
    assert "aaaaaaaaaa" not in etree.tostring(root, encoding="unicode")


# --- zips ---------------------------------------------------------------------------------


def test_members_are_unpacked_only_when_read_and_only_once() -> None:
    book = BoundedZip(zip_of({"a.xhtml": b"<p>A</p>", "b.xhtml": b"<p>B</p>"}), "book.epub")
    assert book.unpacked_bytes == 0
    assert book.read("a.xhtml") == b"<p>A</p>"
    assert book.read("a.xhtml") is book.read("a.xhtml")
    assert book.unpacked_bytes == len(b"<p>A</p>")
    assert book.get("missing.xhtml") is None


def test_a_zip_bomb_member_is_refused_naming_the_file_and_the_member() -> None:
    book = BoundedZip(zip_of({"OEBPS/ch1.xhtml": bytes(MAX_MEMBER_BYTES + 1)}), "bomb.epub")
    with pytest.raises(FormatError) as refused:
        book.read("OEBPS/ch1.xhtml")
    assert str(refused.value).startswith("bomb.epub: OEBPS/ch1.xhtml is too large")


def test_a_member_lying_about_its_size_is_still_bounded() -> None:
    data = bytearray(zip_of({"ch1.xhtml": bytes(MAX_MEMBER_BYTES + 10)}))
    central = data.rindex(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 100)  # declared unpacked size: 100 bytes
    book = BoundedZip(bytes(data), "liar.epub")
    with pytest.raises(FormatError, match=r"^liar\.epub: ch1\.xhtml"):
        book.read("ch1.xhtml")


def test_what_one_zip_unpacks_in_all_is_bounded() -> None:
    part = bytes(MAX_MEMBER_BYTES - 1)
    count = MAX_UNPACKED_BYTES // len(part) + 1
    book = BoundedZip(zip_of({f"part{i}.xhtml": part for i in range(count)}), "many.epub")
    for i in range(count - 1):
        book.read(f"part{i}.xhtml")
    with pytest.raises(FormatError, match=r"^many\.epub: it is too large unpacked"):
        book.read(f"part{count - 1}.xhtml")


def test_the_tags_in_all_of_one_zips_parts_are_bounded() -> None:
    part = b"<b>" * (MAX_ZIP_TAGS // 2)
    book = BoundedZip(zip_of({"a.xhtml": part, "b.xhtml": part, "c.xhtml": b"<i>"}), "t.epub")
    book.read("a.xhtml")
    book.read("b.xhtml")
    with pytest.raises(FormatError, match=r"^t\.epub: it has too much markup to read"):
        book.read("c.xhtml")


def test_a_zip_with_too_many_members_is_refused_before_listing_them() -> None:
    many = zip_of({f"f{i}.txt": b"" for i in range(MAX_ZIP_MEMBERS + 1)})
    with pytest.raises(FormatError, match=r"^many\.epub: it holds more than 2,000 files"):
        BoundedZip(many, "many.epub")


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/passwd", "OEBPS/../../x.xhtml"])
def test_a_member_with_an_unsafe_path_is_refused(path: str) -> None:
    with pytest.raises(FormatError, match=r"^odd\.epub: a file inside it has an unsafe name"):
        BoundedZip(zip_of({path: b"x"}), "odd.epub")


def test_a_zip_with_a_member_packed_with_bzip2_is_refused() -> None:
    # bzip2 unpacks a whole read at once: one small member could unpack gigabytes.
    bzipped = zip_of({"ch1.xhtml": b"x" * 100}, zipfile.ZIP_BZIP2)
    with pytest.raises(FormatError, match=r"^odd\.epub: ch1\.xhtml inside it is packed in a way"):
        BoundedZip(bzipped, "odd.epub")


def test_members_another_reader_unpacks_are_checked_by_their_declared_sizes() -> None:
    book = BoundedZip(zip_of({"a.xml": b"x", "big.xml": bytes(MAX_MEMBER_BYTES + 1)}), "w.docx")
    book.check_unpacked_sizes(["a.xml"])
    with pytest.raises(FormatError, match=r"^w\.docx: big\.xml is too large"):
        book.check_unpacked_sizes(["a.xml", "big.xml"])
    assert book.unpacked_bytes == 0


def test_an_encrypted_member_is_refused_by_name() -> None:
    data = bytearray(zip_of({"ch1.xhtml": b"secret"}))
    central = data.rindex(b"PK\x01\x02")
    data[central + 8] |= 0x01  # "encrypted" in the general purpose flags
    with pytest.raises(FormatError, match=r"^locked\.epub: ch1\.xhtml cannot be unpacked"):
        BoundedZip(bytes(data), "locked.epub").read("ch1.xhtml")


def test_one_import_shares_each_open_zip() -> None:
    data = zip_of({"a.xhtml": b"<p>A</p>"})
    assert open_zip(data, "a.epub") is not open_zip(data, "a.epub")
    with sharing_zips():
        first = open_zip(data, "a.epub")
        first.read("a.xhtml")
        assert open_zip(data, "a.epub") is first
        with sharing_zips():  # an inner block shares the outer one's zips
            assert open_zip(data, "a.epub") is first
        assert open_zip(bytes(bytearray(data)), "a.epub") is not first  # a copy: another zip
    assert open_zip(data, "a.epub") is not first


def test_a_member_with_no_name_is_refused_in_plain_words() -> None:
    """Found by the fuzzer (a mutated Word file): zipfile's own ``is_dir`` fails on it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", b"<w:document/>")
        nameless = zipfile.ZipInfo("x")
        nameless.filename = ""
        archive.writestr(nameless, b"x")
    with pytest.raises(FormatError, match="a file with no name"):
        BoundedZip(buffer.getvalue(), "story.docx")
