"""The one error every reader raises for a file it cannot or will not read.

The message always names the file and the reason, in words a person who
uploaded the file understands:

>>> str(FormatError("ch1.docx", "it is not a Word document (no word/document.xml)"))
'ch1.docx: it is not a Word document (no word/document.xml)'
"""

from __future__ import annotations


class FormatError(ValueError):
    """A file could not be read: broken, unsupported, too large or unsafe."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason
