"""An EPUB's package: from META-INF/container.xml to the package document to the spine.

``read_opf_package`` promises the spine documents' paths in reading order
(the spine's order, not the manifest's), resolved against the package
document's folder, without fragments, leaving out what the book does not
hold; it unpacks only container.xml and the package document, each spine
document later when asked (``OpfPackage.document``). A book without a
container or a package document is refused with a ``FormatError`` naming
the file, as is broken XML; entities are never expanded.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from fanfold.formats.errors import FormatError
from fanfold.formats.readers.package import read_opf_package
from fanfold.formats.safety import open_zip

CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"


def container(path: str) -> str:
    return (
        f'<?xml version="1.0"?><container version="1.0" xmlns="{CONTAINER_NS}">'
        f'<rootfiles><rootfile full-path="{path}"/></rootfiles></container>'
    )


def package_document(manifest: dict[str, str], spine: list[str]) -> str:
    items = "".join(f'<item id="{id_}" href="{href}"/>' for id_, href in manifest.items())
    refs = "".join(f'<itemref idref="{id_}"/>' for id_ in spine)
    return (
        '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        f"<manifest>{items}</manifest><spine>{refs}</spine></package>"
    )


def book(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, content in members.items():
            archive.writestr(path, content)
    return buffer.getvalue()


def test_the_spine_is_in_reading_order_whatever_the_manifests_order() -> None:
    data = book(
        {
            "META-INF/container.xml": container("book/content.opf"),
            "book/content.opf": package_document(
                {"a": "one.xhtml", "b": "two.xhtml", "c": "three.xhtml"}, ["c", "a", "b"]
            ),
            "book/one.xhtml": "<p>One</p>",
            "book/two.xhtml": "<p>Two</p>",
            "book/three.xhtml": "<p>Three</p>",
        }
    )
    package = read_opf_package(open_zip(data, "b.epub"), "b.epub")
    assert package.spine == ("book/three.xhtml", "book/one.xhtml", "book/two.xhtml")
    assert package.document("book/three.xhtml") == b"<p>Three</p>"


def test_hrefs_resolve_against_the_package_folder_and_lose_their_fragments() -> None:
    data = book(
        {
            "META-INF/container.xml": container("OEBPS/content.opf"),
            "OEBPS/content.opf": package_document(
                {"a": "text/ch1.xhtml#start", "b": "../Shared/ch2.xhtml"}, ["a", "b"]
            ),
            "OEBPS/text/ch1.xhtml": "<p>One</p>",
            "Shared/ch2.xhtml": "<p>Two</p>",
        }
    )
    assert read_opf_package(open_zip(data, "b.epub"), "b.epub").spine == (
        "OEBPS/text/ch1.xhtml",
        "Shared/ch2.xhtml",
    )


def test_spine_entries_the_book_does_not_hold_are_left_out() -> None:
    data = book(
        {
            "META-INF/container.xml": container("content.opf"),
            "content.opf": package_document(
                {"a": "here.xhtml", "b": "gone.xhtml", "c": ""}, ["a", "b", "c", "unknown"]
            ),
            "here.xhtml": "<p>Here</p>",
        }
    )
    assert read_opf_package(open_zip(data, "b.epub"), "b.epub").spine == ("here.xhtml",)


def test_only_the_container_and_package_are_unpacked_until_a_document_is_asked_for() -> None:
    members: dict[str, str | bytes] = {
        "META-INF/container.xml": container("content.opf"),
        "content.opf": package_document({"a": "one.xhtml"}, ["a"]),
        "one.xhtml": "<p>" + "word " * 1000 + "</p>",
        "cover.jpg": bytes(50_000),
    }
    zipped = open_zip(book(members), "b.epub")
    package = read_opf_package(zipped, "b.epub")
    front = len(members["META-INF/container.xml"]) + len(members["content.opf"])
    assert zipped.unpacked_bytes == front
    package.document("one.xhtml")
    package.document("one.xhtml")  # once only
    assert zipped.unpacked_bytes == front + len(members["one.xhtml"])


def test_a_book_without_a_container_is_not_an_epub() -> None:
    data = book({"content.opf": package_document({}, [])})
    with pytest.raises(FormatError, match=r"^plain\.epub: .*no META-INF/container\.xml"):
        read_opf_package(open_zip(data, "plain.epub"), "plain.epub")


@pytest.mark.parametrize(
    "container_xml",
    [
        container("missing.opf"),
        f'<container xmlns="{CONTAINER_NS}"><rootfiles/></container>',
    ],
)
def test_a_container_pointing_at_no_package_document_is_refused(container_xml: str) -> None:
    data = book({"META-INF/container.xml": container_xml, "content.opf": "<package/>"})
    with pytest.raises(FormatError, match=r"^b\.epub: its package document .* is missing"):
        read_opf_package(open_zip(data, "b.epub"), "b.epub")


def test_entities_in_the_package_document_are_never_expanded() -> None:
    entities = (
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><package>&b;</package>'
    )
    data = book({"META-INF/container.xml": container("content.opf"), "content.opf": entities})
    package = read_opf_package(open_zip(data, "b.epub"), "b.epub")
    assert b"aaaaaaaaaa" not in etree.tostring(package.opf)
    assert package.spine == ()


def test_broken_xml_in_the_container_is_refused_by_name() -> None:
    data = book({"META-INF/container.xml": "<container><rootfiles>", "content.opf": "<x/>"})
    with pytest.raises(FormatError, match=r"^b\.epub: its XML is broken"):
        read_opf_package(open_zip(data, "b.epub"), "b.epub")
