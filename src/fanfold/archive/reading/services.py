"""What readers leave on works, counted on the work in the same transaction.

Kudos: once, never on one's own work. Bookmarks: one per reader per work or
series, saved again (not twice) on a double submit; ``Work.bookmark_count``
counts the public ones. The filter index keeps no counts (listings sort on
the work's own column), so a bookmark re-indexes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from fanfold.archive.people.models import User
from fanfold.archive.reading.models import (
    BOOKMARK_NOTES_MAX,
    BOOKMARK_TAGS_MAX,
    Bookmark,
    Kudos,
)
from fanfold.archive.tags.models import TagType
from fanfold.archive.tags.services import find_or_create_tags
from fanfold.archive.works import selectors as works
from fanfold.archive.works.models import Series, Work
from fanfold.formats.clean import multiline
from fanfold.formats.userhtml import to_safe_html


def guest_key(*, address: str, work: Work) -> str:
    """A guest's key for one work: a keyed hash of their address and the work, not the address.

    >>> from fanfold.archive.works.models import Work
    >>> one, two = Work(pk=1), Work(pk=2)
    >>> guest_key(address="203.0.113.9", work=one) == guest_key(address="203.0.113.9", work=two)
    False
    """
    message = f"kudos:{work.pk}:{address}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def leave_kudos(*, work: Work, user: User | None = None, guest: str = "") -> bool:
    """Leave kudos from an account or a guest key; False if they already had.

    Raises ``ValidationError`` on the author's own work.
    """
    if user is not None and user.pk == work.owner_id:
        raise ValidationError("You can't leave kudos on your own work.")
    if (user is None) == (not guest):
        raise ValueError("kudos come from an account or a guest, one of them")
    try:
        with transaction.atomic():
            Kudos.objects.create(work=work, user=user, guest_key="" if user else guest)
            Work.objects.filter(pk=work.pk).update(kudos_count=F("kudos_count") + 1)
    except IntegrityError:
        return False  # already left: the unique constraint says so, even in a race
    return True


# Bookmarks --------------------------------------------------------------------


@dataclass(frozen=True)
class BookmarkFields:
    """What a reader fills in for a bookmark (notes as typed: HTML or plain)."""

    notes: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    is_private: bool = False
    is_rec: bool = False


def _bookmarkable_work(work: Work, user: User) -> None:
    """Refuse a work the reader may not read, and drafts and hidden works (nothing to share)."""
    if works.work_for_reading(work_id=work.pk, viewer=user) is None:
        raise ValidationError("You can't bookmark a work you can't read.")
    if work.is_draft:
        raise ValidationError("A draft can be bookmarked once it is posted.")
    if work.is_hidden:
        raise ValidationError("This work is hidden by an admin and can't be bookmarked.")


def _bookmarkable_series(series: Series, user: User) -> None:
    if works.series_for_reading(series_id=series.pk, viewer=user) is None:
        raise ValidationError("You can't bookmark a series you can't read.")


def _clean_notes(notes: str) -> str:
    if len(notes) > BOOKMARK_NOTES_MAX:
        message = (
            f"The notes have {len(notes):,} characters; at most {BOOKMARK_NOTES_MAX:,} are allowed."
        )
        raise ValidationError({"notes": message})
    return to_safe_html(multiline(notes))


def _check_tag_count(names: tuple[str, ...]) -> None:
    if len({name.strip().casefold() for name in names if name.strip()}) > BOOKMARK_TAGS_MAX:
        raise ValidationError({"tags": f"A bookmark can have at most {BOOKMARK_TAGS_MAX} tags."})


def _count_change(work_id: int | None, change: int) -> None:
    if work_id is not None and change:
        Work.objects.filter(pk=work_id).update(bookmark_count=F("bookmark_count") + change)


def save_bookmark(
    *,
    user: User,
    fields: BookmarkFields,
    work: Work | None = None,
    series: Series | None = None,
) -> Bookmark:
    """Bookmark a work or a series, or change the reader's bookmark of it.

    The same submit twice saves the same bookmark twice: one row, counted
    once. Raises ``ValidationError`` for a work or series the reader may
    not read (or a draft, or a hidden work) and for notes or tags over
    their limits.
    """
    if (work is None) == (series is None):
        raise ValueError("a bookmark is of a work or of a series, one of them")
    if work is not None:
        _bookmarkable_work(work, user)
    else:
        assert series is not None
        _bookmarkable_series(series, user)
    notes = _clean_notes(fields.notes)
    _check_tag_count(fields.tags)
    return _save(user=user, work=work, series=series, fields=fields, notes=notes)


@transaction.atomic
def _save(
    *, user: User, work: Work | None, series: Series | None, fields: BookmarkFields, notes: str
) -> Bookmark:
    tags = find_or_create_tags(names_by_type={TagType.FREEFORM: fields.tags})
    # get_or_create reads the row again when a second submit inserted it first
    # (the unique constraint refuses ours), so a race ends as an edit, counted once.
    bookmark, created = Bookmark.objects.select_for_update().get_or_create(
        user=user, work=work, series=series
    )
    was_public = not created and not bookmark.is_private
    bookmark.notes = notes
    bookmark.is_private = fields.is_private
    bookmark.is_rec = fields.is_rec
    bookmark.save()
    bookmark.tags.set(tags)
    _count_change(bookmark.work_id, int(not bookmark.is_private) - int(was_public))
    return bookmark


@transaction.atomic
def delete_bookmark(*, bookmark: Bookmark, by: User) -> bool:
    """Remove a reader's own bookmark; False if it was gone already (a second click)."""
    if bookmark.user_id != by.pk:
        raise PermissionDenied("Only the bookmarker can delete a bookmark.")
    locked = Bookmark.objects.select_for_update().filter(pk=bookmark.pk).first()
    if locked is None:
        return False
    locked.delete()
    _count_change(locked.work_id, -int(not locked.is_private))
    return True


@transaction.atomic
def forget_bookmarks_of(*, user: User) -> None:
    """Before an account is deleted: take its public bookmarks off the works' counts.

    The rows themselves go with the account (they cascade); the counts on
    other people's works are this service's to put right.
    """
    public = Bookmark.objects.filter(user=user, work__isnull=False, is_private=False)
    per_work = Counter(public.values_list("work_id", flat=True))
    for work_id, count in sorted(per_work.items()):
        _count_change(work_id, -count)
    Bookmark.objects.filter(user=user).delete()
