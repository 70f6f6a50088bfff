"""Writing to inboxes: delivering entries, marking them read, clearing them."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from fanfold.archive.inbox.models import EXCERPT_MAX, InboxEntry, Kind
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Chapter, Work


def excerpt_of(text: str) -> str:
    """The first words of ``text`` that fit an inbox line, cut at a word.

    >>> excerpt_of("short")
    'short'
    >>> len(excerpt_of("word " * 400)) <= 500
    True
    """
    text = " ".join(text.split())
    if len(text) <= EXCERPT_MAX:
        return text
    return text[: EXCERPT_MAX - 1].rsplit(" ", 1)[0] + "…"


def deliver(
    *,
    recipients: Iterable[User | int],
    kind: Kind,
    work: Work | None,
    chapter: Chapter | None = None,
    comment_id: int | None = None,
    notice_id: int | None = None,
    actor: User | None = None,
    actor_name: str = "",
    excerpt: str = "",
) -> None:
    """Put one entry in each recipient's inbox.

    Idempotent: delivering the same comment, chapter or work to the same
    person again adds nothing (the unique constraints say so, even in a race).
    The actor never hears of their own doing.
    """
    recipient_ids = {r.pk if isinstance(r, User) else r for r in recipients}
    if actor is not None:
        recipient_ids.discard(actor.pk)
        actor_name = actor_name or actor.username
    entries = [
        InboxEntry(
            recipient_id=recipient_id,
            kind=kind,
            work=work,
            chapter=chapter,
            comment_id=comment_id,
            notice_id=notice_id,
            actor=actor,
            actor_name=actor_name,
            excerpt=excerpt_of(excerpt),
        )
        for recipient_id in sorted(recipient_ids)
    ]
    with transaction.atomic():
        InboxEntry.objects.bulk_create(entries, ignore_conflicts=True, batch_size=500)


def mark_read(*, user: User, entry_ids: Iterable[int], read: bool = True) -> int:
    """Mark ``user``'s entries read (or unread again); other people's are left alone."""
    entries = InboxEntry.objects.filter(recipient=user, pk__in=list(entry_ids))
    return entries.update(read_at=timezone.now() if read else None)


def delete_entries(*, user: User, entry_ids: Iterable[int]) -> int:
    deleted, _ = InboxEntry.objects.filter(recipient=user, pk__in=list(entry_ids)).delete()
    return deleted


def forget_comments(comment_ids: Iterable[int]) -> None:
    """Remove every entry about these comments (called by the comments app when it deletes them)."""
    InboxEntry.objects.filter(comment_id__in=list(comment_ids)).delete()
