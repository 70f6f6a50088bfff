"""Writes of the readers' side: kudos, subscriptions and their fan-out, history, hits.

Kudos are left once, never on one's own work, counted on the work in the
same transaction. Subscribing is idempotent; a post reaches each subscriber
once (inbox entries are unique per person and post) and never its author.
Reading history is one cheap upsert per page a logged-in reader opens;
hits arrive here in batches from :mod:`fanfold.archive.reading.hits`.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from fanfold.archive.inbox.models import InboxEntry, Kind
from fanfold.archive.inbox.services import deliver
from fanfold.archive.people.models import SubscriptionEmail, User
from fanfold.archive.reading import emails
from fanfold.archive.reading.models import DigestMark, Kudos, Reading, Subscription
from fanfold.archive.works.models import Chapter, Series, Work

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
            Work.objects.filter(pk=work.pk).update(kudos_count=F("kudos_count") + 1)
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


def subscribers_of(work: Work) -> list[Subscriber]:
    """Everyone following the work, one of its series or its author: once each, never the author."""
    follows = Q(work=work) | Q(series__in=work.series_parts.values("series_id"))
    follows |= Q(author_id=work.owner_id)
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
    subscribers = subscribers_of(work)
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
    shown = [e for e in rows if not (e.work.is_draft or e.work.is_hidden)]
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


def record_reading(*, user: User, work: Work, chapter: Chapter | None) -> None:
    """Note that ``user`` opened ``work`` (one chapter, or all of it): one UPDATE when seen before.

    Paused history records nothing; the author's own visits are not history.
    """
    if user.history_paused or user.pk == work.owner_id:
        return
    now = timezone.now()
    changes: dict[str, object] = {"visits": F("visits") + 1, "last_read_at": now}
    if chapter is not None:
        changes["last_chapter"] = chapter
    if Reading.objects.filter(user=user, work=work).update(**changes):
        return
    try:
        with transaction.atomic():
            Reading.objects.create(
                user=user, work=work, last_chapter=chapter, last_read_at=now, visits=1
            )
    except IntegrityError:  # another tab of the same reader got there first
        Reading.objects.filter(user=user, work=work).update(**changes)


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
    readings = Reading.objects.filter(user=user, last_read_at__isnull=False)
    if work_ids is not None:
        readings = readings.filter(work_id__in=work_ids)
    with transaction.atomic():
        cleared = readings.filter(marked_for_later=True).update(
            last_read_at=None, last_chapter=None, visits=0
        )
        deleted, _ = readings.filter(marked_for_later=False).delete()
    return cleared + deleted


# Hits ---------------------------------------------------------------------------


HITS_BATCH = 500  # works per UPDATE: bounds the statement's size and parameters


def add_hits(counts: Mapping[int, int]) -> int:
    """Add each work's new hits to its ``hit_count``, one UPDATE per 500 works; how many changed.

    The search index keeps no hit counts (listings sort by the work's own
    column), so nothing needs re-indexing.
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
