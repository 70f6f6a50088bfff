"""Downloads of a work (EPUB, HTML, plain text), built once per version of the work.

A download is cached as a file under ``<data dir>/downloads/<work id>/``,
named by a fingerprint of everything the file shows (work fields, tags,
series places, readable chapters and their edit times). Any change to the
work changes the fingerprint, so the next request builds a fresh file;
unchanged works are served from disk. AO3 rebuilds on every request.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from fanfold.archive.tags.models import TagType
from fanfold.archive.works.models import Chapter, Rating, Work
from fanfold.formats.model import ParsedChapter, ParsedWork, SeriesRef
from fanfold.formats.writers import write_epub, write_html, write_text


@dataclass(frozen=True)
class DownloadFormat:
    extension: str
    content_type: str


FORMATS = {
    "epub": DownloadFormat("epub", "application/epub+zip"),
    "html": DownloadFormat("html", "text/html; charset=utf-8"),
    "txt": DownloadFormat("txt", "text/plain; charset=utf-8"),
}


def work_as_parsed(work: Work, chapters: list[Chapter]) -> ParsedWork:
    """The neutral form of a work the writers take (readable chapters only).

    ``work`` comes from ``selectors.work_for_reading``: its series parts carry
    the position the reader counts (``visible_position``), never the stored one.
    """
    tags: dict[str, list[str]] = {}
    for tag in sorted(work.tags.all(), key=lambda t: t.name.lower()):
        tags.setdefault(tag.type, []).append(tag.name)
    return ParsedWork(
        title=work.title,
        creators=(work.owner.username,),
        summary=work.summary,
        notes=work.notes,
        end_notes=work.end_notes,
        rating=Rating.of(work.rating).label,
        warnings=tuple(tags.get(TagType.WARNING, [])),
        categories=tuple(tags.get(TagType.CATEGORY, [])),
        fandoms=tuple(tags.get(TagType.FANDOM, [])),
        relationships=tuple(tags.get(TagType.RELATIONSHIP, [])),
        characters=tuple(tags.get(TagType.CHARACTER, [])),
        freeforms=tuple(tags.get(TagType.FREEFORM, [])),
        language=work.language,
        series=tuple(
            # Annotated by selectors._listing; the stored position counts hidden parts.
            SeriesRef(title=part.series.title, position=part.visible_position)  # type: ignore[attr-defined]
            for part in work.series_parts.all()
        ),
        chapters=tuple(
            ParsedChapter(
                title=chapter.title,
                summary=chapter.summary,
                notes=chapter.notes,
                end_notes=chapter.end_notes,
                body=chapter.body,
            )
            for chapter in chapters
        ),
        expected_chapters=work.expected_chapters,
        complete=work.is_complete,
        published=work.published_at.date() if work.published_at else None,
        updated=work.updated_at.date() if work.updated_at else None,
        source=f"fanfold:work:{work.pk}",
        source_format="fanfold",
    )


# Bump when the writers change what they produce, so cached files are rebuilt.
WRITERS_VERSION = "2"  # 2: calibre series metadata in EPUBs


def fingerprint(parsed: ParsedWork) -> str:
    """A short digest of everything a download shows, and of the writers' version."""
    return hashlib.sha256(f"{WRITERS_VERSION}:{parsed!r}".encode()).hexdigest()[:20]


def file_name(work: Work, fmt: DownloadFormat) -> str:
    """ "The Long Walk" -> "The_Long_Walk.epub" (ASCII, safe for every filesystem)."""
    ascii_title = unicodedata.normalize("NFKD", work.title).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "_", ascii_title).strip("_")[:60] or f"work_{work.pk}"
    return f"{stem}.{fmt.extension}"


def build_download(work: Work, chapters: list[Chapter], fmt: DownloadFormat) -> Path:
    """The download's path, writing it first unless this version is on disk already."""
    parsed = work_as_parsed(work, chapters)
    folder = Path(settings.DATA_DIR) / "downloads" / str(work.pk)
    path = folder / f"{fingerprint(parsed)}.{fmt.extension}"
    if path.exists():
        return path
    folder.mkdir(parents=True, exist_ok=True)
    data = _render(parsed, fmt)
    # Write then rename, so a concurrent request never serves half a file.
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, path)
    _remove_old_versions(folder, keep=path)
    return path


def _render(parsed: ParsedWork, fmt: DownloadFormat) -> bytes:
    if fmt.extension == "epub":
        return write_epub(parsed)
    if fmt.extension == "html":
        return write_html(parsed).encode("utf-8")
    return write_text(parsed).encode("utf-8")


def _remove_old_versions(folder: Path, keep: Path) -> None:
    for old in folder.glob(f"*{keep.suffix}"):
        if old != keep:
            old.unlink(missing_ok=True)
