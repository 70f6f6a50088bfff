"""Writing comments: posting and replying, editing, deleting, freezing threads, moderating.

Each refusal is a ``ValidationError`` (it cannot be done: closed, frozen,
blocked, too fast) or a ``PermissionDenied`` (not this person's to do),
with a sentence for the person. The work's ``comment_count`` counts its
published comments and changes in the transaction that changes them.
The inbox hears of each comment once; an email about it is sent after the
comment is saved, and a failure to send it is logged, never raised.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fanfold.archive.comments import selectors
from fanfold.archive.comments.models import COMMENT_BODY_MAX, GUEST_NAME_MAX, Comment, State
from fanfold.archive.inbox import services as inbox
from fanfold.archive.inbox.models import Kind
from fanfold.archive.people.models import User
from fanfold.archive.ratelimits import within_limit
from fanfold.archive.works import versions
from fanfold.archive.works.models import Chapter, Work
from fanfold.formats.clean import multiline, single_line
from fanfold.formats.userhtml import to_plain_text, to_safe_html

logger = logging.getLogger(__name__)

RATE_LIMIT = 5  # comments per account, or per guest address, in one window
RATE_WINDOW = 60  # seconds


# Posting ---------------------------------------------------------------------------


def clean_body(body: str) -> str:
    """A comment as stored: sanitised HTML within AO3's 10,000 characters.

    >>> clean_body("Loved the <em>garden</em> scene!<script>x()</script>")
    '<p>Loved the <em>garden</em> scene!</p>'
    """
    typed = multiline(body).strip()
    if len(typed) > COMMENT_BODY_MAX:
        raise ValidationError(
            f"The comment has {len(typed):,} characters; at most {COMMENT_BODY_MAX:,} are allowed."
        )
    cleaned = to_safe_html(typed) if typed else ""
    if not to_plain_text(cleaned).strip():
        raise ValidationError("Write something before posting your comment.")
    return cleaned


def _count_against_rate_limit(user: User | None, address: str) -> None:
    """Allow ``RATE_LIMIT`` comments a window per account or guest address."""
    if not within_limit(
        "comments:rate", user=user, address=address, limit=RATE_LIMIT, window=RATE_WINDOW
    ):
        raise ValidationError(
            f"You have posted {RATE_LIMIT} comments in the last minute; "
            "please wait a minute before posting another."
        )


def post_comment(
    *,
    work: Work,
    body: str,
    user: User | None = None,
    guest_name: str = "",
    chapter: Chapter | None = None,
    parent: Comment | None = None,
    address: str = "",
) -> Comment:
    """Post a comment on ``chapter`` (None: the whole work), or a reply to ``parent``.

    A guest (``user`` None) gives a name and is counted by ``address`` for
    the rate limit. On a moderated work, the comment waits for approval
    (the author's own comments never do).
    """
    if parent is not None:
        if parent.work_id != work.pk:
            raise ValueError("a reply belongs to its parent's work")
        chapter = parent.chapter
        refusal = selectors.reply_refusal(parent=parent, user=user)
    else:
        if chapter is not None and chapter.work_id != work.pk:
            raise ValueError("a comment's chapter belongs to its work")
        refusal = selectors.comment_refusal(work=work, chapter=chapter, user=user)
    if refusal:
        raise ValidationError(refusal)
    name = "" if user is not None else single_line(guest_name)[:GUEST_NAME_MAX]
    if user is None and not name:
        raise ValidationError("Give a name to comment as a guest.")
    text = clean_body(body)
    _count_against_rate_limit(user, address)
    waits = work.comments_moderated and (user is None or user.pk != work.owner_id)
    with transaction.atomic():
        comment = Comment.objects.create(
            work=work,
            chapter=chapter,
            parent=parent,
            root_id=parent.thread_id if parent is not None else None,
            user=user,
            guest_name=name,
            body=text,
            state=State.PENDING if waits else State.PUBLISHED,
        )
        if not waits:
            _count(work, +1)
        _deliver(comment, owner_too=True)
    return comment


def _count(work: Work | int, change: int) -> None:
    """Change the work's count of published comments (never below zero); its version moves."""
    work_id = work.pk if isinstance(work, Work) else work
    works = Work.objects.filter(pk=work_id)
    counted = works.filter(comment_count__gte=-change) if change < 0 else works
    if not counted.update(comment_count=F("comment_count") + change, **versions.NEXT_VERSION):
        works.update(**versions.NEXT_VERSION)
    versions.moved([work_id])


def _deliver(comment: Comment, *, owner_too: bool) -> None:
    """Tell the work's author (COMMENT) and, for a published reply, the parent's writer (REPLY)."""
    work = comment.work
    parent_writer = comment.parent.user_id if comment.parent is not None else None
    common: dict[str, Any] = {
        "work": work,
        "chapter": comment.chapter,
        "comment_id": comment.pk,
        "actor": comment.user,
        "actor_name": comment.author_name,
        "excerpt": to_plain_text(comment.body),
    }
    told: list[int] = []
    if comment.state == State.PUBLISHED and parent_writer is not None:
        inbox.deliver(recipients=[parent_writer], kind=Kind.REPLY, **common)
        told.append(parent_writer)
    if owner_too and work.owner_id not in told:
        inbox.deliver(recipients=[work.owner_id], kind=Kind.COMMENT, **common)
        told.append(work.owner_id)
    recipients = [pk for pk in told if pk != comment.user_id]
    if recipients:
        transaction.on_commit(lambda: email_about(comment_id=comment.pk, recipient_ids=recipients))


def email_about(*, comment_id: int, recipient_ids: list[int]) -> None:
    """Email the recipients about a comment; a failure is logged, the comment stays."""
    comment = Comment.objects.select_related("work", "user").filter(pk=comment_id).first()
    if comment is None:
        return
    addresses = User.objects.filter(
        pk__in=recipient_ids, is_active=True, email_comments=True
    ).exclude(email="")
    what = "replied to your comment" if comment.parent_id else "commented"
    subject = f"{comment.author_name} {what} on “{comment.work.title}”"
    message = f"{subject}:\n\n{to_plain_text(comment.body)}\n\n{selectors.comment_url(comment)}"
    for email in addresses.values_list("email", flat=True):
        try:
            send_mail(subject, message, None, [email])
        except Exception:  # any backend failure: the comment is saved, the email is not
            logger.exception("Could not email %s about comment %s", email, comment_id)


# Changing and removing ---------------------------------------------------------


def edit_comment(*, comment: Comment, by: User, body: str) -> Comment:
    """Change one's own comment; it is then shown as edited."""
    if comment.user_id is None or comment.user_id != by.pk:
        raise PermissionDenied("You can only edit your own comments.")
    if comment.state == State.DELETED:
        raise ValidationError("A deleted comment cannot be edited.")
    if comment.state == State.HIDDEN:
        raise ValidationError("A moderator hid this comment; it cannot be edited.")
    comment.body = clean_body(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    versions.bump([comment.work_id])
    return comment


def may_delete(comment: Comment, user: User) -> bool:
    """The comment's writer, the work's author and admins may delete a comment."""
    return user.pk in (comment.user_id, comment.work.owner_id) or user.is_staff


def delete_comment(*, comment: Comment, by: User) -> None:
    """Delete a comment; one with replies stays as a tombstone so its thread stays whole.

    Deleting twice does nothing more. A tombstone left with no replies goes too.
    """
    if not may_delete(comment, by):
        raise PermissionDenied("Only the comment's writer or the work's author can delete it.")
    with transaction.atomic():
        current = Comment.objects.select_for_update().filter(pk=comment.pk).first()
        if current is None or current.state == State.DELETED:
            return
        gone = [current.pk]
        if current.replies.exists():
            Comment.objects.filter(pk=current.pk).update(state=State.DELETED, body="")
        else:
            current.delete()
            gone += _prune_tombstones(current.parent_id)
        if current.state == State.PUBLISHED:
            _count(current.work_id, -1)
        else:
            versions.bump([current.work_id])  # a tombstone's thread reads differently too
        inbox.forget_comments(gone)


def set_comment_hidden(*, comment: Comment, hidden: bool) -> bool:
    """Hide a published comment (or publish a hidden one again); True if it changed.

    For the moderation app, which decides who may and records why; the
    work's count of published comments follows.
    """
    before, after = (State.PUBLISHED, State.HIDDEN) if hidden else (State.HIDDEN, State.PUBLISHED)
    with transaction.atomic():
        changed = Comment.objects.filter(pk=comment.pk, state=before).update(state=after)
        if changed:
            _count(comment.work_id, -1 if hidden else +1)
    if changed:
        comment.state = after
    return bool(changed)


def _prune_tombstones(comment_id: int | None) -> list[int]:
    """Remove tombstones up the thread that no longer hold replies; their ids."""
    removed: list[int] = []
    while comment_id is not None:
        tombstone = Comment.objects.filter(pk=comment_id, state=State.DELETED).first()
        if tombstone is None or tombstone.replies.exists():
            break
        tombstone.delete()
        removed.append(tombstone.pk)
        comment_id = tombstone.parent_id
    return removed


def _require_work_author(comment: Comment, user: User, doing: str) -> None:
    if user.pk != comment.work.owner_id:
        raise PermissionDenied(f"Only the work's author can {doing}.")


def set_thread_frozen(*, comment: Comment, by: User, frozen: bool) -> int:
    """Freeze (or thaw) the whole thread ``comment`` is in; how many comments changed."""
    _require_work_author(comment, by, "freeze a thread")
    thread = Comment.objects.filter(pk=comment.thread_id) | Comment.objects.filter(
        root_id=comment.thread_id
    )
    changed = thread.update(is_frozen=frozen)
    versions.bump([comment.work_id])  # its reply buttons come or go
    return changed


def approve_comment(*, comment: Comment, by: User) -> bool:
    """Publish a comment that waited for approval; False if it was not waiting."""
    _require_work_author(comment, by, "approve comments")
    with transaction.atomic():
        waiting = Comment.objects.filter(pk=comment.pk, state=State.PENDING)
        if not waiting.update(state=State.PUBLISHED):
            return False  # approved already (a double click), or deleted
        _count(comment.work_id, +1)
        comment.state = State.PUBLISHED
        _deliver(comment, owner_too=False)
    return True


def reject_comment(*, comment: Comment, by: User) -> bool:
    """Delete a comment that waited for approval; False if it was not waiting."""
    _require_work_author(comment, by, "reject comments")
    with transaction.atomic():
        deleted, _ = Comment.objects.filter(pk=comment.pk, state=State.PENDING).delete()
        if deleted:
            inbox.forget_comments([comment.pk])
    return bool(deleted)


def recount_before_chapter_delete(sender: type[Chapter], instance: Chapter, **kwargs: Any) -> None:
    """A chapter being deleted takes its comments with it (the cascade): recount the rest.

    Before, not after: the cascade may delete the chapter before its comments.
    """
    published = Comment.objects.filter(work_id=instance.work_id, state=State.PUBLISHED).exclude(
        chapter_id=instance.pk
    )
    Work.objects.filter(pk=instance.work_id).update(
        comment_count=published.count(), **versions.NEXT_VERSION
    )
    versions.moved([instance.work_id])
