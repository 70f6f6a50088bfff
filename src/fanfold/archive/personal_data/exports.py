"""What a person's data download holds, written into a zip file with bounded memory.

The zip holds ``profile.json``; for each of their works (drafts and hidden
ones too: they are theirs) ``works/<id>-<title>.epub``, made by the works
app's download builder, and ``works/<id>-<title>.json`` with every chapter's
notes and text, the tags and series places; ``series.json``, ``comments.json``,
``bookmarks.json``, ``kudos.json`` and ``subscriptions.json``; and a README.
Other people's works appear only by id and, when the person may still read
them, their title and author: nothing of anyone's drafts or hidden works.

Memory stays bounded whatever the account holds: by one work's chapters (at
most 5,000,000 characters, the archive's limit) and a chunk of rows. Works
are fetched ``WORKS_CHUNK`` at a time and written one by one, the lists are
written item by item from database iterators, and the zip goes to a file,
never held in memory.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.db.models import Prefetch, QuerySet

from fanfold.archive.comments.models import Comment
from fanfold.archive.people.models import User
from fanfold.archive.people.services import PREFERENCE_FIELDS
from fanfold.archive.reading.models import Bookmark, Kudos, Subscription
from fanfold.archive.tags.models import Tag
from fanfold.archive.works.downloads import FORMATS, file_name, work_as_parsed
from fanfold.archive.works.models import Chapter, Series, SeriesPart, Work
from fanfold.archive.works.selectors import visible_position
from fanfold.formats.writers import write_epub

CHUNK = 100  # rows of a list (comments, bookmarks...) fetched at a time
WORKS_CHUNK = 10  # works fetched at a time, with their tags and series places

README = """\
Everything you posted on Fanfold, as of {when} (UTC).

profile.json        your account: name, address, bio, settings
works/              each of your works as an EPUB book and as JSON (every chapter,
                    notes, tags, series), drafts included
series.json         your series and their parts
comments.json       the comments you wrote
bookmarks.json      your bookmarks, with your notes and tags
kudos.json          the works you left kudos on
subscriptions.json  the works, series and authors you follow

Other people's works are named only while you may still read them.
"""


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _readable_by(work: Work | None, user: User) -> bool:
    """Whether ``user`` may still read ``work`` (their own, or posted and not hidden)."""
    if work is None:
        return False
    return work.owner_id == user.pk or not (work.is_draft or work.is_hidden)


def _work_ref(work: Work | None, user: User) -> dict[str, Any] | None:
    """Another person's work as the export names it: the id, and more only if readable."""
    if work is None:
        return None
    if not _readable_by(work, user):
        return {"id": work.pk, "title": None, "author": None, "available": False}
    return {"id": work.pk, "title": work.title, "author": work.owner.username, "available": True}


def profile(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "email": user.email,
        "bio": user.bio,
        "joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "preferences": {name: getattr(user, name) for name in PREFERENCE_FIELDS},
    }


def work_json(work: Work, chapters: list[Chapter]) -> dict[str, Any]:
    """One of the person's own works, whole."""
    return {
        "id": work.pk,
        "title": work.title,
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "rating": work.rating,
        "language": work.language,
        "draft": work.is_draft,
        "hidden_by_staff": work.is_hidden,
        "restricted": work.is_restricted,
        "complete": work.is_complete,
        "expected_chapters": work.expected_chapters,
        "created": _when(work.created_at),
        "published": _when(work.published_at),
        "updated": _when(work.updated_at),
        "tags": _tags_by_type(work.tags.all()),
        "series": [
            {"id": part.series_id, "title": part.series.title, "part": part.position}
            for part in work.series_parts.all()
        ],
        "chapters": [
            {
                "position": chapter.position,
                "title": chapter.title,
                "summary": chapter.summary,
                "notes": chapter.notes,
                "end_notes": chapter.end_notes,
                "text": chapter.body,
                "draft": chapter.is_draft,
                "words": chapter.word_count,
                "published": _when(chapter.published_at),
            }
            for chapter in chapters
        ],
    }


def _tags_by_type(tags: Iterable[Tag]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for tag in sorted(tags, key=lambda t: t.name.lower()):
        grouped.setdefault(tag.type, []).append(tag.name)
    return grouped


def own_works(user: User) -> QuerySet[Work]:
    """The person's works, each series part numbered as its author counts the series
    (the EPUB builder prints ``visible_position``)."""
    parts = SeriesPart.objects.select_related("series").annotate(
        visible_position=visible_position(user)
    )
    return (
        Work.objects.filter(owner=user)
        .select_related("owner")
        .prefetch_related("tags", Prefetch("series_parts", queryset=parts))
        .order_by("pk")
    )


def _series(user: User) -> Iterator[dict[str, Any]]:
    parts = SeriesPart.objects.select_related("work", "work__owner").order_by("position")
    for series in (
        Series.objects.filter(owner=user)
        .prefetch_related(Prefetch("parts", queryset=parts))
        .order_by("pk")
        .iterator(chunk_size=CHUNK)
    ):
        yield {
            "id": series.pk,
            "title": series.title,
            "summary": series.summary,
            "notes": series.notes,
            "complete": series.is_complete,
            "parts": [
                {"part": part.position, "work": _work_ref(part.work, user)}
                for part in series.parts.all()
            ],
        }


def _comments(user: User) -> Iterator[dict[str, Any]]:
    comments = (
        Comment.objects.filter(user=user)
        .select_related("work", "work__owner", "chapter")
        .order_by("pk")
    )
    for comment in comments.iterator(chunk_size=CHUNK):
        readable = _readable_by(comment.work, user)
        yield {
            "id": comment.pk,
            "work": _work_ref(comment.work, user),
            "chapter": comment.chapter.number if comment.chapter and readable else None,
            "in_reply_to": comment.parent_id,
            "text": comment.body,
            "state": comment.state,
            "written": _when(comment.created_at),
            "edited": _when(comment.edited_at),
        }


def _bookmarks(user: User) -> Iterator[dict[str, Any]]:
    bookmarks = (
        Bookmark.objects.filter(user=user)
        .select_related("work", "work__owner", "series")
        .prefetch_related("tags")
        .order_by("pk")
    )
    for bookmark in bookmarks.iterator(chunk_size=CHUNK):
        series = bookmark.series
        yield {
            "work": _work_ref(bookmark.work, user),
            "series": {"id": series.pk, "title": series.title} if series else None,
            "notes": bookmark.notes,
            "tags": sorted(tag.name for tag in bookmark.tags.all()),
            "private": bookmark.is_private,
            "recommended": bookmark.is_rec,
            "created": _when(bookmark.created_at),
        }


def _kudos(user: User) -> Iterator[dict[str, Any]]:
    kudos = Kudos.objects.filter(user=user).select_related("work", "work__owner").order_by("pk")
    for given in kudos.iterator(chunk_size=CHUNK):
        yield {"work": _work_ref(given.work, user), "left": _when(given.created_at)}


def _subscriptions(user: User) -> Iterator[dict[str, Any]]:
    subscriptions = (
        Subscription.objects.filter(user=user)
        .select_related("work", "work__owner", "series", "author")
        .order_by("pk")
    )
    for subscription in subscriptions.iterator(chunk_size=CHUNK):
        entry: dict[str, Any] = {"since": _when(subscription.created_at)}
        if subscription.work is not None:
            entry["work"] = _work_ref(subscription.work, user)
        elif subscription.series is not None:
            entry["series"] = {"id": subscription.series_id, "title": subscription.series.title}
        elif subscription.author is not None:
            entry["author"] = subscription.author.username
        yield entry


def _write_list(book: zipfile.ZipFile, name: str, items: Iterable[dict[str, Any]]) -> None:
    """A JSON array written item by item, so a long list never sits in memory whole."""
    with book.open(name, "w") as raw:
        _write(raw, "[")
        for number, item in enumerate(items):
            _write(raw, ("," if number else "") + "\n" + json.dumps(item, ensure_ascii=False))
        _write(raw, "\n]\n")


def _write(raw: IO[bytes], text: str) -> None:
    raw.write(text.encode("utf-8"))


def _stem(work: Work) -> str:
    return f"works/{work.pk}-{file_name(work, FORMATS['epub']).removesuffix('.epub')}"


def write_export(user: User, path: Path, *, when: datetime) -> None:
    """Write ``user``'s whole data download to ``path`` (a zip)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as book:
        book.writestr("README.txt", README.format(when=when.strftime("%Y-%m-%d %H:%M")))
        book.writestr("profile.json", json.dumps(profile(user), ensure_ascii=False, indent=1))
        for work in own_works(user).iterator(chunk_size=WORKS_CHUNK):
            chapters = list(work.chapters.order_by("position"))
            # Stored, not deflated again: an EPUB is a zip already.
            book.writestr(
                f"{_stem(work)}.epub",
                write_epub(work_as_parsed(work, chapters)),
                compress_type=zipfile.ZIP_STORED,
            )
            document = work_json(work, chapters)
            book.writestr(f"{_stem(work)}.json", json.dumps(document, ensure_ascii=False))
        _write_list(book, "series.json", _series(user))
        _write_list(book, "comments.json", _comments(user))
        _write_list(book, "bookmarks.json", _bookmarks(user))
        _write_list(book, "kudos.json", _kudos(user))
        _write_list(book, "subscriptions.json", _subscriptions(user))
