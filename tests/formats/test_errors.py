"""``FormatError``: the one error a reader raises, naming the file and the reason.

It promises a message of the form ``"<file>: <reason>"`` a person who
uploaded the file can read, keeps both parts for whoever shows them, and
is a ``ValueError`` so callers that refuse bad input catch it as such.
"""

from __future__ import annotations

import pytest

from fanfold.formats.errors import FormatError
from fanfold.formats.readers import read_bytes


def test_the_message_is_the_file_then_the_reason() -> None:
    error = FormatError("ch1.docx", "it is not a Word document")
    assert str(error) == "ch1.docx: it is not a Word document"
    assert (error.name, error.reason) == ("ch1.docx", "it is not a Word document")


def test_it_is_a_value_error() -> None:
    with pytest.raises(ValueError, match=r"^notes\.txt: it is empty$"):
        raise FormatError("notes.txt", "it is empty")


def test_a_reader_refusing_a_file_says_which_file_and_why() -> None:
    with pytest.raises(FormatError) as refused:
        read_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), name="cover.png")
    assert refused.value.name == "cover.png"
    assert refused.value.reason == "it is not a text, HTML, Word or EPUB file"
