"""Writers: a ``ParsedWork`` out as EPUB 3, one HTML file, or plain text.

Every writer lays the work out the way AO3's downloads do (a preface with
the tags, summary and notes; chapters with their summaries, notes and end
notes; an afterword), in the same markup: ``div#preface`` with
``dl.tags``, ``div#chapters`` with ``div.meta`` headings, ``div#endnotesN``.
Readers already know that shape, so a file Fanfold writes reads back with
the same chapters, notes and tags (the AO3 reader does it), and people who
know AO3's downloads find their way around.

Writers are deterministic: the same work gives the same bytes (fixed zip
timestamps, an identifier derived from the work), so downloads can be
cached and compared.

>>> from fanfold.formats.model import ParsedChapter
>>> work = ParsedWork(title="Rain", chapters=(ParsedChapter(body="<p>Wet.</p>"),))
>>> print(write_text(work).splitlines()[0])
Rain
"""

from __future__ import annotations

from fanfold.formats.model import ParsedWork
from fanfold.formats.writers.epub import write_epub
from fanfold.formats.writers.markup import write_html, write_text

__all__ = ["ParsedWork", "write_epub", "write_html", "write_text"]
