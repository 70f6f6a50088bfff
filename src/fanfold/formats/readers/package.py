"""An EPUB's package: container.xml to the package document (content.opf) to the spine.

Every EPUB reader starts here. Only what the reading order needs is
unpacked, and only when asked: container.xml and the package document now,
each spine document when a reader reads it (``OpfPackage.document``), never
pictures, fonts or style sheets. All of it goes through
``fanfold.formats.safety``, so every part is bounded before it is parsed.

>>> import io, zipfile
>>> from fanfold.formats.safety import open_zip
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as book:
...     book.writestr("META-INF/container.xml", '<container xmlns="urn:oasis:names:tc:'
...         'opendocument:xmlns:container"><rootfiles><rootfile full-path="o/book.opf"/>'
...         "</rootfiles></container>")
...     book.writestr("o/book.opf", '<package xmlns="http://www.idpf.org/2007/opf"><manifest>'
...         '<item id="c1" href="one.xhtml"/></manifest><spine><itemref idref="c1"/></spine>'
...         "</package>")
...     book.writestr("o/one.xhtml", "<p>One</p>")
>>> package = read_opf_package(open_zip(buffer.getvalue(), "b.epub"), "b.epub")
>>> package.spine, package.document("o/one.xhtml")
(('o/one.xhtml',), b'<p>One</p>')
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from lxml import etree

from fanfold.formats.errors import FormatError
from fanfold.formats.safety import BoundedZip, parse_xml

_NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}


@dataclass(frozen=True, slots=True)
class OpfPackage:
    """An EPUB's package document and the paths of its spine documents, in reading order."""

    opf: etree._Element
    spine: tuple[str, ...]
    book: BoundedZip

    def document(self, path: str) -> bytes:
        """One spine document, unpacked (once) on request."""
        return self.book.read(path)


def read_opf_package(book: BoundedZip, name: str) -> OpfPackage:
    """Find the package document through META-INF/container.xml and list its spine."""
    container = book.get("META-INF/container.xml")
    if container is None:
        raise FormatError(name, "it is not an EPUB (no META-INF/container.xml)")
    rootfiles = parse_xml(container, name).xpath("//c:rootfile/@full-path", namespaces=_NS)
    opf_path = str(rootfiles[0]) if isinstance(rootfiles, list) and rootfiles else ""
    if opf_path not in book:
        raise FormatError(name, "its package document (content.opf) is missing")
    opf = parse_xml(book.read(opf_path), name)
    base = posixpath.dirname(opf_path)
    hrefs = {
        str(item.get("id")): str(item.get("href", ""))
        for item in opf.iterfind(".//opf:manifest/opf:item", _NS)
    }
    spine: list[str] = []
    for itemref in opf.iterfind(".//opf:spine/opf:itemref", _NS):
        href = hrefs.get(str(itemref.get("idref")), "")
        path = posixpath.normpath(posixpath.join(base, href.split("#")[0])) if href else ""
        if path in book:
            spine.append(path)
    return OpfPackage(opf=opf, spine=tuple(spine), book=book)
