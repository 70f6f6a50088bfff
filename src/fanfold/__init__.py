"""Fanfold: a self-hostable fan fiction archive that reads what it hosts.

Three layers, imports only running downward (enforced by import-linter):

- :mod:`fanfold.text` - the reading engine (pure Python, no Django);
- :mod:`fanfold.formats` - files in and out (TXT, HTML, DOCX, EPUB, ...);
- :mod:`fanfold.archive` - the Django site.
"""

__version__ = "0.1.0"
