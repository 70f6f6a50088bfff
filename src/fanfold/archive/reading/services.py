"""Writes of the readers' side: kudos, bookmarks, subscriptions and their fan-out, history, hits.

Kudos are left once, never on one's own work, counted on the work in the
same transaction. Bookmarks: one per reader per work or series, saved again
(not twice) on a double submit; ``Work.bookmark_count`` counts the public
ones. The filter index keeps no counts (listings sort on the work's own
column), so neither re-indexes anything. Subscribing is idempotent; a post
reaches each subscriber once (inbox entries are unique per person and post)
and never its author. Reading history is one cheap upsert per page a
logged-in reader opens; hits arrive here in batches from
:mod:`fanfold.archive.reading.hits`.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from fanfold.archive.inbox.models import InboxEntry, Kind
from fanfold.archive.inbox.services import deliver
from fanfold.archive.people.models import SubscriptionEmail, User
from fanfold.archive.reading import emails
from fanfold.archive.reading.models import (
    BOOKMARK_NOTES_MAX,
    BOOKMARK_TAGS_MAX,
    Bookmark,
    DigestMark,
    Kudos,
    Reading,
    Subscription,
)
from fanfold.archive.tags.models import TagType
from fanfold.archive.tags.services import find_or_create_tags
from fanfold.archive.works import selectors as works
from fanfold.archive.works import versions
from fanfold.archive.works.models import Chapter, Series, Work
from fanfold.formats.clean import multiline
from fanfold.formats.userhtml import to_safe_html

log = logging.getLogger(__name__)


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
            Work.objects.filter(pk=work.pk).update(
                kudos_count=F("kudos_count") + 1, **versions.NEXT_VERSION
            )
            versions.moved([work.pk])
    except IntegrityError:
        return False  # already left: the unique constraint says so, even in a race
    return True


# Subscriptions ----------------------------------------------------------------

Target = Work | Series | User


def _target_field(target: Target) -> dict[str, Target]:
    if isinstance(target, Work):
        return {"work": target}
    if isinstance(target, Series):
        return {"series": target}
    return {"author": target}


def _owner_id(target: Target) -> int:
    return target.pk if isinstance(target, User) else target.owner_id


def subscribe(*, user: User, target: Target) -> bool:
    """Follow a work, a series or an author; False if ``user`` already did.

    Raises ``ValidationError`` for one's own work, series or account: the
    author hears of their own posts from nobody.
    """
    if _owner_id(target) == user.pk:
        raise ValidationError("You can't subscribe to your own work, series or account.")
    try:
        with transaction.atomic():
            Subscription.objects.create(user=user, **_target_field(target))
    except IntegrityError:
        return False  # the unique constraint says they already follow it, even in a race
    return True


def unsubscribe(*, user: User, target: Target) -> bool:
    """Stop following; False if ``user`` did not follow it."""
    deleted, _ = Subscription.objects.filter(user=user, **_target_field(target)).delete()
    return deleted > 0


@dataclass(frozen=True, slots=True)
class Subscriber:
    id: int
    email: str
    wants: str  # a SubscriptionEmail value


def subscribers_of(work: Work, *, new_work: bool = False) -> list[Subscriber]:
    """Everyone following the work, one of its series or its author: once each, never the author.

    News of a ``new_work`` skips those who follow that work itself: only a
    posted work can be followed, so they have seen it (the worker delivers
    late, and a reader may have found the work and followed it meanwhile).
    """
    follows = Q(series__in=work.series_parts.values("series_id")) | Q(author_id=work.owner_id)
    if not new_work:
        follows |= Q(work=work)
    rows = (
        Subscription.objects.filter(follows, user__is_active=True)
        .exclude(user_id=work.owner_id)
        .values_list("user_id", "user__email", "user__subscription_email")
        .order_by("user_id")
        .distinct()
    )
    return [Subscriber(user_id, email, wants) for user_id, email, wants in rows]


def tell_subscribers(*, work: Work, chapter: Chapter | None = None) -> int:
    """Deliver a posted work (or one new chapter of it) to its subscribers; how many heard.

    Called after the post committed (see ``works.signals``). Drafts and
    hidden works reach nobody. Each subscriber gets one inbox entry (delivering
    again adds none) and, if they asked for one, an email now; a daily
    subscriber's email waits for ``fanfold send_digests``. An email that
    cannot be sent is logged: the post and the entries stay.
    """
    work = Work.objects.select_related("owner").get(pk=work.pk)
    if work.is_draft or work.is_hidden or (chapter is not None and chapter.is_draft):
        return 0
    subscribers = subscribers_of(work, new_work=chapter is None)
    kind = Kind.WORK if chapter is None else Kind.CHAPTER
    already = set(
        InboxEntry.objects.filter(
            recipient_id__in=[s.id for s in subscribers], kind=kind, work=work, chapter=chapter
        ).values_list("recipient_id", flat=True)
    )
    newcomers = [s for s in subscribers if s.id not in already]
    deliver(
        recipients=[s.id for s in newcomers],
        kind=kind,
        work=work,
        chapter=chapter,
        actor=work.owner,
        excerpt=emails.post_excerpt(work=work, chapter=chapter),
    )
    each = [s.email for s in newcomers if s.wants == SubscriptionEmail.EACH and s.email]
    _send_quietly(
        emails.new_posts(to=each, work=work, chapter=chapter),
        what=f"new-post emails for work {work.pk}",
    )
    return len(newcomers)


def _send_quietly(messages: list[emails.EmailMessage], *, what: str) -> int:
    """Send over one connection; a failure is logged, never raised. How many went."""
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:
        log.exception("could not send %s", what)
        return 0


DIGEST_KINDS = [Kind.CHAPTER, Kind.WORK]
FIRST_DIGEST_REACH = timedelta(days=1)  # how far back a new daily subscriber's first digest looks


def send_digest(*, user: User) -> int:
    """Email ``user`` the new chapters and works not yet in a digest; how many entries it held.

    The digest mark moves past what was sent, only once it was sent: run
    twice, nothing is sent twice; a mail server that fails keeps the
    entries for the next run. A reader's first digest reaches back one day.
    No transaction is held open while the mail server answers (on SQLite
    it would hold up every writer): run one ``send_digests`` at a time.
    """
    mark, _ = DigestMark.objects.get_or_create(user=user)
    entries = InboxEntry.objects.filter(
        recipient=user, kind__in=DIGEST_KINDS, pk__gt=mark.last_entry_id
    )
    if mark.sent_at is None:
        entries = entries.filter(created_at__gte=timezone.now() - FIRST_DIGEST_REACH)
    rows = list(entries.select_related("work", "chapter").order_by("pk"))
    shown = [e for e in rows if e.work and not (e.work.is_draft or e.work.is_hidden)]
    if shown and not _send_quietly(
        [emails.digest(to=user.email, entries=shown)], what=f"the digest of {user.pk}"
    ):
        return 0
    DigestMark.objects.filter(pk=mark.pk).update(
        last_entry_id=rows[-1].pk if rows else mark.last_entry_id, sent_at=timezone.now()
    )
    return len(shown)


def send_digests() -> tuple[int, int]:
    """Each daily subscriber's digest: (people emailed, entries sent)."""
    people = entries = 0
    daily = User.objects.filter(is_active=True, subscription_email=SubscriptionEmail.DAILY).exclude(
        email=""
    )
    for user in daily.order_by("pk").iterator(chunk_size=500):
        sent = send_digest(user=user)
        if sent:
            people += 1
            entries += sent
    return people, entries


# History and "marked for later" -------------------------------------------------


def keeps_history(*, user: User, work: Work) -> bool:
    """Whether opening ``work`` goes into ``user``'s history: not when paused, nor their own."""
    return not user.history_paused and user.pk != work.owner_id


def record_reading(*, user: User, work: Work, chapter: Chapter | None) -> None:
    """Note that ``user`` opened ``work`` (one chapter, or all of it) now, written at once.

    Paused history records nothing; the author's own visits are not history.
    Page views note readings in memory instead (``reading.history``), which
    writes them with :func:`record_readings`.
    """
    if keeps_history(user=user, work=work):
        at = timezone.now().timestamp()
        record_readings({(user.pk, work.pk): (chapter.pk if chapter else None, at, 1)})


# (user id, work id) -> (last chapter id or None, when as epoch seconds, visits)
ReadingNotes = Mapping[tuple[int, int], tuple[int | None, float, int]]


@transaction.atomic
def record_readings(notes: ReadingNotes) -> int:
    """Write readings noted in memory: one UPDATE each, an INSERT for a first reading.

    Notes of readers who since paused their history or left, of works since
    deleted, and chapters since deleted (the reading keeps its last chapter)
    are skipped: the batch never fails for one of them. How many were written.
    """
    users = set(
        User.objects.filter(pk__in={u for u, _ in notes}, history_paused=False).values_list(
            "pk", flat=True
        )
    )
    works = set(Work.objects.filter(pk__in={w for _, w in notes}).values_list("pk", "owner_id"))
    chapters = set(
        Chapter.objects.filter(pk__in={c for c, _, _ in notes.values() if c}).values_list(
            "pk", "work_id"
        )
    )
    owners = dict(works)
    written = 0
    for (user_id, work_id), (chapter_id, at, visits) in sorted(notes.items()):
        if user_id not in users or work_id not in owners or owners[work_id] == user_id:
            continue
        known = chapter_id if (chapter_id, work_id) in chapters else None
        _write_reading(user_id, work_id, known, at, visits)
        written += 1
    return written


def _write_reading(
    user_id: int, work_id: int, chapter_id: int | None, at: float, visits: int
) -> None:
    when = datetime.fromtimestamp(at, tz=UTC)
    changes: dict[str, object] = {"visits": F("visits") + visits, "last_read_at": when}
    if chapter_id is not None:
        changes["last_chapter_id"] = chapter_id
    readings = Reading.objects.filter(user_id=user_id, work_id=work_id)
    if readings.update(**changes):
        return
    try:
        with transaction.atomic():
            Reading.objects.create(
                user_id=user_id,
                work_id=work_id,
                last_chapter_id=chapter_id,
                last_read_at=when,
                visits=visits,
            )
    except IntegrityError:  # another process wrote it first
        readings.update(**changes)


def mark_for_later(*, user: User, work: Work, marked: bool = True) -> None:
    """Put ``work`` on ``user``'s "marked for later" list, or take it off."""
    changes = {"marked_for_later": marked, "marked_at": timezone.now() if marked else None}
    if Reading.objects.filter(user=user, work=work).update(**changes) or not marked:
        return
    try:
        with transaction.atomic():
            Reading.objects.create(user=user, work=work, **changes)
    except IntegrityError:
        Reading.objects.filter(user=user, work=work).update(**changes)


def forget_reading(*, user: User, work_ids: list[int] | None = None) -> int:
    """Clear ``user``'s history (of these works, or all); "marked for later" stays marked.

    Returns how many history lines went.
    """
    from fanfold.archive.reading.history import BUFFER  # it writes through this module

    BUFFER.drop(user_id=user.pk, work_ids=work_ids)  # what was cleared never comes back
    readings = Reading.objects.filter(user=user, last_read_at__isnull=False)
    if work_ids is not None:
        readings = readings.filter(work_id__in=work_ids)
    with transaction.atomic():
        cleared = readings.filter(marked_for_later=True).update(
            last_read_at=None, last_chapter=None, visits=0
        )
        deleted, _ = readings.filter(marked_for_later=False).delete()
    return cleared + deleted


def clear_marked_for_later(*, user: User) -> int:
    """Empty ``user``'s "marked for later" list; their history stays. How many works left it."""
    marked = Reading.objects.filter(user=user, marked_for_later=True)
    with transaction.atomic():
        kept = marked.filter(last_read_at__isnull=False).update(marked_for_later=False)
        deleted, _ = marked.filter(last_read_at__isnull=True).delete()
    return kept + deleted


# Hits ---------------------------------------------------------------------------


HITS_BATCH = 500  # works per UPDATE: bounds the statement's size and parameters


def add_hits(counts: Mapping[int, int]) -> int:
    """Add each work's new hits to its ``hit_count``, one UPDATE per 500 works; how many changed.

    The search index keeps no hit counts (listings sort by the work's own
    column), so nothing needs re-indexing. No version moves: no page shows
    a hit count, and a listing ordered by hits is rendered again at least
    every ``pagecache.HITS_ORDER_SECONDS`` (decision 0016), so a popular
    work's cached pages outlive its hits.
    """
    counts = {work_id: n for work_id, n in counts.items() if n > 0}
    if not counts:
        return 0
    changed = 0
    work_ids = sorted(counts)
    for start in range(0, len(work_ids), HITS_BATCH):
        batch = work_ids[start : start + HITS_BATCH]
        # Grouped by how many hits each gained (mostly 1, 2, 3): a CASE of a few IN
        # lists, where one WHEN per work costs the database batch x batch comparisons.
        by_count: dict[int, list[int]] = defaultdict(list)
        for pk in batch:
            by_count[counts[pk]].append(pk)
        added = Case(
            *(When(pk__in=pks, then=Value(n)) for n, pks in sorted(by_count.items())),
            default=Value(0),
        )
        changed += Work.objects.filter(pk__in=batch).update(hit_count=F("hit_count") + added)
    return changed


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
        Work.objects.filter(pk=work_id).update(
            bookmark_count=F("bookmark_count") + change, **versions.NEXT_VERSION
        )
        versions.moved([work_id])


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
