"""Readers: any file a fan has, in, as one neutral ``ParsedWork``.

``read_bytes`` looks at the content, not the name, to choose a reader:
readers for formats with a known structure first (AO3 downloads,
FanFicFare EPUBs: ``SPECIAL_READERS``), then general ones: EPUB, Word,
HTML, and text (plain or Markdown), which goes through the reading engine
like chapter files do. ``read_chapter_files`` reads several files as the
chapters of one work.

Files are untrusted: every bound lives in ``fanfold.formats.safety``. The
size is checked before anything is parsed, zips are opened once per read
and unpacked lazily within limits (members, unpacked size, paths), markup is
bounded in size, tags and nesting, XML is parsed without DTDs or entities,
and every problem is a ``FormatError`` that names the file.

>>> read_bytes(b"Chapter 1: Rain\\n\\nIt rained all day.", name="rain.txt").chapters[0].title
'Rain'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from fanfold.formats.errors import FormatError
from fanfold.formats.model import ParsedWork
from fanfold.formats.readers.ao3 import Ao3Reader
from fanfold.formats.readers.chapters import chapters_to_work
from fanfold.formats.readers.fanficfare import FanFicFareReader
from fanfold.formats.readers.general import (
    as_chapter_text,
    read_docx,
    read_epub,
    read_html,
    zip_kind,
)
from fanfold.formats.safety import check_file_size, is_zip, sharing_zips
from fanfold.formats.userhtml import looks_like_html
from fanfold.text.normalise import NotTextError, decode

__all__ = ["SPECIAL_READERS", "FormatError", "read_bytes", "read_chapter_files"]


class SpecialReader(Protocol):
    """A reader for one format with a known structure: it says whether a file is its own."""

    name: str

    def sniff(self, data: bytes, name: str) -> bool: ...

    def read(self, data: bytes, name: str) -> ParsedWork: ...


SPECIAL_READERS: list[SpecialReader] = [Ao3Reader(), FanFicFareReader()]


def read_bytes(data: bytes, *, name: str) -> ParsedWork:
    """Read one file as a whole work; raises ``FormatError`` naming the file."""
    check_file_size(data, name)
    # The readers' questions and the read share one open zip: each part is unpacked once.
    with sharing_zips():
        for reader in SPECIAL_READERS:
            if reader.sniff(data, name):
                return reader.read(data, name)
        if is_zip(data):
            kind = zip_kind(data, name)
            return read_epub(data, name) if kind == "epub" else read_docx(data, name)
    text = _decoded(data, name)
    if looks_like_html(text[:5000]):
        return read_html(text, name)
    return chapters_to_work([(name, text)])


def read_chapter_files(files: Sequence[tuple[str, bytes]]) -> ParsedWork:
    """Several files (text, Markdown, HTML, Word) as the chapters of one work, in any order."""
    if not files:
        raise FormatError("(no files)", "there is nothing to read")
    texts = []
    for name, data in files:
        check_file_size(data, name)
        with sharing_zips():
            texts.append((name, as_chapter_text(data, name)))
    return chapters_to_work(texts)


def _decoded(data: bytes, name: str) -> str:
    try:
        return decode(data, name=name)
    except NotTextError as error:
        raise FormatError(name, "it is not a text, HTML, Word or EPUB file") from error
