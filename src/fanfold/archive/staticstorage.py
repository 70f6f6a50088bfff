"""Static files under content-hashed, compressed names once they are collected.

``fanfold collectstatic`` writes each file under its plain name and under a
name with a hash of its content (``site.3f9a1c.css``), each with gzip (and
brotli, when installed) beside it, and a manifest mapping one to the other.
``{% static %}`` then names the hashed file, which never changes, so WhiteNoise
(or nginx) serves it with ``Cache-Control: max-age=315360000, immutable``; a new
release has new names, and browsers fetch exactly what changed.

Before collectstatic has run (the test suite, a fresh checkout, ``fanfold
runserver``) there is no manifest, and Django's manifest storage would fail
every page that names a static file. This storage names the plain file then,
which WhiteNoise serves from the apps' own folders (``WHITENOISE_USE_FINDERS``)
with a short cache lifetime. A file added after the last collectstatic is named
plainly too, rather than failing the page: run collectstatic on every deploy.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ArchiveStaticStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """WhiteNoise's compressed manifest storage that names plain files until collected."""

    def stored_name(self, name: str) -> str:
        if not self.hashed_files:  # no manifest: collectstatic has not run here
            return name
        try:
            return str(super().stored_name(name))
        except ValueError:  # not in the manifest: collected before this file existed
            return name
