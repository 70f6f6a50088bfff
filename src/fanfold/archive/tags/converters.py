"""Tag names in URLs: any name, one path segment, readable.

A relationship's "/" would split the path, and a name made only of dots
would be read by browsers as "this folder" or "the folder above". So, as on
AO3, "/" is written ``*s*``, and dots are written ``*d*`` in a name made only
of dots; ``*`` itself is written ``**`` so that every name has exactly one
spelling and comes back unchanged. Everything else (spaces, "?", "#",
newlines, any script) is percent-encoded by ``reverse`` as usual.

>>> TagNameConverter().to_url("Mark Sloan/Lexie Grey")
'Mark Sloan*s*Lexie Grey'
>>> TagNameConverter().to_python("Mark Sloan*s*Lexie Grey")
'Mark Sloan/Lexie Grey'
>>> TagNameConverter().to_url("..")
'*d**d*'
"""

from __future__ import annotations

import re

_ESCAPED = re.compile(r"\*(?:\*|s\*|d\*)")
_DECODED = {"**": "*", "*s*": "/", "*d*": "."}


class TagNameConverter:
    regex = r"[^/]+"

    def to_python(self, value: str) -> str:
        return _ESCAPED.sub(lambda match: _DECODED[match.group()], value)

    def to_url(self, value: str) -> str:
        escaped = value.replace("*", "**").replace("/", "*s*")
        if escaped and escaped.strip(".") == "":
            escaped = escaped.replace(".", "*d*")
        return escaped
