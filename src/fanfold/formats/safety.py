"""Bounds for untrusted input: every file and every piece of user HTML meets them before a parser.

Uploads are hostile until read. Each limit admits any real work (the
longest fan works run to a few million words; a 500,000-word novel in one
XHTML file is about 5 MB with ~100,000 tags) and refuses bombs before they
cost memory or time:

==================== ============ ==============================================
limit                value        what it bounds
==================== ============ ==============================================
MAX_FILE_BYTES       20 MB        one uploaded file, as uploaded
MAX_ZIP_MEMBERS      2,000        files inside one zip (EPUB or Word)
MAX_MEMBER_BYTES     16 MB        one file inside a zip, unpacked
MAX_UNPACKED_BYTES   64 MB        everything one zip unpacks, all members read
MAX_DOCUMENT_BYTES   20 MB        one HTML or XML document handed to a parser
MAX_TAGS             400,000      tags (each ``<``) in one document: about 2 s
                                  and 200 MB to read (a whole 500,000-word
                                  novel in one file has ~100,000)
MAX_ZIP_TAGS         800,000      tags in all the parts read from one zip
MAX_HTML_DEPTH       100          how deep HTML nests: deeper start tags are
                                  cut, their text kept (libxml2 drops all
                                  text past 255; html5ever slows with the
                                  square of the depth)
==================== ============ ==============================================

Zips are read lazily through ``open_zip``: only the members a reader asks
for (container.xml, the package document, spine documents; never images or
fonts) are unpacked, each at most once, and only stored or deflated ones (a
bzip2 member could unpack gigabytes from one read). Every refusal is a
``FormatError`` naming the file, in words its uploader understands:

>>> parse_html(b"<b>" * 400_001, "bomb.html")
Traceback (most recent call last):
...
fanfold.formats.errors.FormatError: bomb.html: it has too much markup to read (400,001 tags; ...)
>>> flatten_deep_html("<div>" * 3 + "deep" + "</div>" * 3, max_depth=2)
'<div><div>deep</div></div>'
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import AnyStr, Final

from lxml import etree
from lxml import html as lxml_html

from fanfold.formats.errors import FormatError
from fanfold.formats.nesting import cuts_for_depth

MAX_FILE_BYTES: Final = 20 * 1024 * 1024
MAX_ZIP_MEMBERS: Final = 2_000
MAX_MEMBER_BYTES: Final = 16 * 1024 * 1024
MAX_UNPACKED_BYTES: Final = 64 * 1024 * 1024
MAX_DOCUMENT_BYTES: Final = 20 * 1024 * 1024
MAX_TAGS: Final = 400_000
MAX_ZIP_TAGS: Final = 800_000
MAX_HTML_DEPTH: Final = 100


_MB = 1024 * 1024


def _megabytes(size: int) -> str:
    """Limits in whole megabytes (20 MB), other sizes to a tenth (20.4 MB)."""
    return f"{size // _MB:,} MB" if size % _MB == 0 else f"{size / _MB:,.1f} MB"


def check_file_size(data: bytes, name: str) -> None:
    """Refuse a file larger than ``MAX_FILE_BYTES``, or empty."""
    if len(data) > MAX_FILE_BYTES:
        raise FormatError(
            name,
            f"it is {_megabytes(len(data))}; files up to {_megabytes(MAX_FILE_BYTES)} are read",
        )
    if not data.strip():
        raise FormatError(name, "it is empty")


# --- zips ---------------------------------------------------------------------------

# What zipfile raises on a damaged or unusual zip, opening it or a member
# (RuntimeError: a member is encrypted).
_UNZIP_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    ValueError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    zlib.error,
)
# A central directory entry starts with these bytes: their count bounds the
# members zipfile would list, before it builds an object for each.
_MEMBER_SIGNATURE = b"PK\x01\x02"


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


class BoundedZip:
    """A zip opened once, whose members are unpacked on request, each once, within the limits.

    >>> buffer = io.BytesIO()
    >>> with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
    ...     archive.writestr("a.txt", "hello")
    ...     archive.writestr("huge.bin", bytes(20 * 1024 * 1024))
    >>> book = BoundedZip(buffer.getvalue(), "book.epub")
    >>> book.read("a.txt"), book.unpacked_bytes
    (b'hello', 5)
    >>> book.read("huge.bin")
    Traceback (most recent call last):
    ...
    fanfold.formats.errors.FormatError: book.epub: huge.bin is too large: it unpacks to 20 MB, ...
    """

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        if data.count(_MEMBER_SIGNATURE) > MAX_ZIP_MEMBERS:
            raise self._too_many_members()
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except _UNZIP_ERRORS as error:
            raise FormatError(name, "it is not a readable zip/EPUB file") from error
        if len(infos) > MAX_ZIP_MEMBERS:
            raise self._too_many_members()
        if any(not info.filename for info in infos):  # zipfile's is_dir() fails on it
            raise FormatError(name, "it holds a file with no name: it is damaged")
        self._infos = {info.filename: info for info in infos if not info.is_dir()}
        for path, info in self._infos.items():
            _check_member_path(path, name)
            # Other methods (bzip2, lzma) unpack a whole read at once, however large.
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise FormatError(
                    name, f"{path[:80]} inside it is packed in a way EPUB and Word files never use"
                )
        self._unpacked: dict[str, bytes] = {}
        self.unpacked_bytes = 0
        self.tags = 0  # in the parts unpacked so far, counted as "<"

    def _too_many_members(self) -> FormatError:
        return FormatError(
            self.name, f"it holds more than {MAX_ZIP_MEMBERS:,} files, more than any book needs"
        )

    @property
    def paths(self) -> frozenset[str]:
        """The files inside (not folders), whether unpacked or not."""
        return frozenset(self._infos)

    def __contains__(self, path: object) -> bool:
        return path in self._infos

    def get(self, path: str) -> bytes | None:
        """A member's content, or None when the zip has no such file."""
        return self.read(path) if path in self._infos else None

    def read(self, path: str) -> bytes:
        """A member's content, unpacked now or earlier; refuses one too large."""
        if path in self._unpacked:
            return self._unpacked[path]
        info = self._infos.get(path)
        if info is None:
            raise FormatError(self.name, f"{path} is missing")
        self._check_room(path, info.file_size)
        # zipfile stops at the declared size; read one byte more anyway in case it did not.
        limit = min(MAX_MEMBER_BYTES, MAX_UNPACKED_BYTES - self.unpacked_bytes)
        try:
            with self._zip.open(info) as handle:
                content = handle.read(limit + 1)
        except _UNZIP_ERRORS as error:
            raise FormatError(self.name, f"{path} cannot be unpacked") from error
        self._check_room(path, len(content))
        self.unpacked_bytes += len(content)
        self.tags += content.count(b"<")
        if self.tags > MAX_ZIP_TAGS:
            raise FormatError(
                self.name,
                f"it has too much markup to read (more than {MAX_ZIP_TAGS:,} tags in all)",
            )
        self._unpacked[path] = content
        return content

    def check_unpacked_sizes(self, paths: Iterable[str]) -> None:
        """Refuse unless these members, unpacked by another reader, stay within the limits.

        For a reader that unpacks a zip itself (mammoth): zipfile never
        gives more than a member's declared size (past it the checksum
        fails), so the declared sizes bound what it can unpack.
        """
        total = self.unpacked_bytes
        for path in paths:
            if path not in self._unpacked:
                size = self._infos[path].file_size
                self._check_room(path, size)
                total += size
                if total > MAX_UNPACKED_BYTES:
                    raise self._too_large_unpacked()

    def _check_room(self, path: str, size: int) -> None:
        if size > MAX_MEMBER_BYTES:
            raise FormatError(
                self.name,
                f"{path} is too large: it unpacks to {_megabytes(size)}, and one part may"
                f" unpack to at most {_megabytes(MAX_MEMBER_BYTES)}",
            )
        if self.unpacked_bytes + size > MAX_UNPACKED_BYTES:
            raise self._too_large_unpacked()

    def _too_large_unpacked(self) -> FormatError:
        return FormatError(
            self.name,
            f"it is too large unpacked: its text comes to more than"
            f" {_megabytes(MAX_UNPACKED_BYTES)}",
        )


_UNSAFE_PATH = re.compile(r"^[/\\]|^[A-Za-z]:|(?:^|[/\\])\.\.(?:[/\\]|$)|\x00")


def _check_member_path(path: str, name: str) -> None:
    """Refuse absolute paths and ones climbing out of the zip (``../``): no book has them."""
    if _UNSAFE_PATH.search(path):
        raise FormatError(name, f"a file inside it has an unsafe name ({path[:80]!r})")


# Zips opened inside ``sharing_zips()``, by the identity of their bytes.
_SHARED_ZIPS: ContextVar[dict[int, tuple[bytes, BoundedZip]] | None] = ContextVar(
    "_SHARED_ZIPS", default=None
)


@contextmanager
def sharing_zips() -> Iterator[None]:
    """Inside this block, ``open_zip`` on the same bytes gives the same ``BoundedZip``.

    One import asks a zip several questions (is it AO3's? FanFicFare's? an
    EPUB or a Word file?) before reading it; sharing the open zip unpacks
    each member once for all of them, and the block's end lets it all go.
    A block inside another shares the outer one's zips.
    """
    if _SHARED_ZIPS.get() is not None:
        yield
        return
    token = _SHARED_ZIPS.set({})
    try:
        yield
    finally:
        _SHARED_ZIPS.reset(token)


def open_zip(data: bytes, name: str) -> BoundedZip:
    """The zip in ``data``, bounded (see ``BoundedZip``), shared inside ``sharing_zips()``."""
    shared = _SHARED_ZIPS.get()
    if shared is None:
        return BoundedZip(data, name)
    # Keyed by identity and holding the bytes, so the id cannot be reused while shared.
    held = shared.get(id(data))
    if held is not None and held[0] is data:
        return held[1]
    opened = BoundedZip(data, name)
    shared[id(data)] = (data, opened)
    return opened


# --- markup -------------------------------------------------------------------------


def check_markup_size(document: bytes | str, name: str) -> None:
    """Refuse a document too large to parse, or with too many tags (counted as ``<``)."""
    if len(document) > MAX_DOCUMENT_BYTES:
        raise FormatError(
            name,
            f"it is too large to read: {_megabytes(len(document))} of markup in one document;"
            f" up to {_megabytes(MAX_DOCUMENT_BYTES)} is read",
        )
    tags = document.count(b"<") if isinstance(document, bytes) else document.count("<")
    if tags > MAX_TAGS:
        raise FormatError(
            name, f"it has too much markup to read ({tags:,} tags; up to {MAX_TAGS:,} are read)"
        )


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse bounded XML without DTDs, entities or network access."""
    check_markup_size(data, name)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as error:
        if _hit_a_parser_limit(parser.error_log):
            raise FormatError(name, "its XML nests too deeply or is too large to read") from error
        raise FormatError(name, "its XML is broken") from error
    if root is None:
        raise FormatError(name, "its XML is empty")
    return root


def parse_html(data: bytes | str, name: str) -> lxml_html.HtmlElement:
    """Parse bounded (X)HTML leniently, as a browser would, keeping all its text.

    Our limits stand in for libxml2's own, which lose text without a word:
    past depth 255 it drops the rest of the document, past 10 MB of text in
    one node all of it. So nesting past ``MAX_HTML_DEPTH`` is flattened
    first, the parser runs with libxml2's limits raised ("huge", depth 2048),
    and should it reach one all the same we refuse rather than lose text.
    """
    check_markup_size(data, name)
    flat: bytes | str  # one call per type: AnyStr takes str or bytes, not the union
    if isinstance(data, str):
        flat = flatten_deep_html(data, MAX_HTML_DEPTH)
    else:
        flat = flatten_deep_html(data, MAX_HTML_DEPTH)
    parser = lxml_html.HTMLParser(huge_tree=True)
    try:
        root = lxml_html.document_fromstring(flat, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        raise FormatError(name, "its HTML cannot be read") from error
    if _hit_a_parser_limit(parser.error_log):
        raise FormatError(name, "its HTML nests too deeply or is too large to read")
    return root


def _hit_a_parser_limit(log: etree._ListErrorLog) -> bool:
    return any(error.type_name == "ERR_RESOURCE_LIMIT" for error in log)


def flatten_deep_html(html: AnyStr, max_depth: int) -> AnyStr:
    """``html`` with the start tags that would nest deeper than ``max_depth`` cut, text kept.

    Linear in the length of ``html`` (see ``fanfold.formats.nesting``, which
    knows how libxml2 and html5ever nest what they read). The end tags of
    cut elements go too; comments and everything else stay as they are.
    Bytes are read as Latin-1, which keeps every tag of an ASCII-compatible
    encoding (UTF-8, Windows-1252) in place.

    >>> flatten_deep_html("<ul><li>one<li>two</ul>", max_depth=2)  # nothing too deep
    '<ul><li>one<li>two</ul>'
    >>> flatten_deep_html("<blockquote>" * 4 + "Who?", max_depth=3)
    '<blockquote><blockquote><blockquote>Who?'
    """
    text = html if isinstance(html, str) else html.decode("latin-1")
    # A tag adds at most three levels (a cell brings a table body and a row).
    if text.count("<") * 3 <= max_depth:
        return html
    cuts = cuts_for_depth(text, max_depth)
    first = next(cuts, None)
    if first is None:
        return html
    kept = io.StringIO() if isinstance(html, str) else io.BytesIO()
    last = 0
    for start, end in itertools.chain([first], cuts):
        kept.write(html[last:start])
        last = end
    kept.write(html[last:])
    return kept.getvalue()


# --- text for XML -------------------------------------------------------------------

# What XML 1.0 forbids in a document: C0 controls but tab, newline and
# carriage return; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (a form feed in a title, say).

    >>> xml_safe("Page\\x0c two\\x00\\ufffe")
    'Page two'
    """
    return _NOT_XML.sub("", text)
