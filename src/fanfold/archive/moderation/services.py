"""Moderation's writes: filing a report, and what staff do about one.

Every staff action needs a written reason, happens in one transaction with
its audit entry, and is idempotent: hiding what is already hidden (a double
click, a replayed form) changes nothing and records nothing, and answers
False. The person whose work, comment or account it is gets an inbox notice
and an email saying what and why (sent once the transaction commits).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from fanfold.archive.comments import services as comments
from fanfold.archive.comments.models import Comment
from fanfold.archive.inbox import services as inbox
from fanfold.archive.inbox.models import Kind
from fanfold.archive.moderation.models import (
    Action,
    AuditEntry,
    Category,
    Report,
    ReportState,
    Suspension,
)
from fanfold.archive.moderation.selectors import is_moderator
from fanfold.archive.people.models import User
from fanfold.archive.ratelimits import within_limit
from fanfold.archive.search.indexing import index_works
from fanfold.archive.works.models import Work
from fanfold.formats.userhtml import to_plain_text

log = logging.getLogger(__name__)

REPORT_LIMIT = 10  # reports an hour, per account or per guest address
REPORT_WINDOW = 60 * 60


# Reports -------------------------------------------------------------------------


def _count_against_report_limit(user: User | None, address: str) -> None:
    """Allow ``REPORT_LIMIT`` reports an hour per account or guest address."""
    if not within_limit(
        "moderation:reports", user=user, address=address, limit=REPORT_LIMIT, window=REPORT_WINDOW
    ):
        raise ValidationError(
            f"You have sent {REPORT_LIMIT} reports in the last hour; "
            "please wait an hour before sending another."
        )


def file_report(
    *,
    category: Category | str,
    details: str,
    work: Work | None = None,
    comment: Comment | None = None,
    person: User | None = None,
    reporter: User | None = None,
    email: str = "",
    address: str = "",
) -> Report:
    """Report one work, comment or person to the moderators.

    The caller has checked the reporter may see the target. A guest may
    leave an email to be answered; an account's own address is on file.
    """
    if [work, comment, person].count(None) != 2:
        raise ValueError("a report names exactly one work, comment or person")
    details = details.strip()
    if not details:
        raise ValidationError("Say what is wrong, so a moderator knows what to look for.")
    _count_against_report_limit(reporter, address)
    return Report.objects.create(
        work=work,
        comment=comment,
        person=person,
        category=category,
        details=details,
        reporter=reporter,
        email="" if reporter is not None else email.strip(),
        address=address or None,
    )


# Staff actions -----------------------------------------------------------------------


def _require_moderator(user: User) -> None:
    if not is_moderator(user):
        raise PermissionDenied("Only moderators may do this.")


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError("Write the reason: it goes to the audit log and to the person told.")
    return reason


def _record(
    *,
    by: User,
    action: Action,
    target: Work | Comment | User | Report,
    reason: str,
    until: datetime | None = None,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=by,
        actor_name=by.username,
        action=action,
        target_type=_type_of(target),
        target_id=target.pk,
        target_label=label_of(target)[:300],
        reason=reason,
        until=until,
    )


def _type_of(target: Work | Comment | User | Report) -> str:
    if isinstance(target, Work):
        return "work"
    if isinstance(target, Comment):
        return "comment"
    return "person" if isinstance(target, User) else "report"


def label_of(target: Work | Comment | User | Report) -> str:
    """How the audit log and notices name a target.

    >>> label_of(Work(title="Salt"))
    '“Salt”'
    >>> label_of(User(username="kit"))
    'kit'
    """
    if isinstance(target, Work):
        return f"“{target.title}”"
    if isinstance(target, Comment):
        return f"comment {target.pk} on “{target.work.title}”"
    if isinstance(target, User):
        return str(target.username)
    return f"report {target.pk}"


def _close_reports(target: Work | Comment | User) -> None:
    """Open reports on what was just acted on are resolved by that action."""
    field = _type_of(target)
    Report.objects.filter(**{field: target}, state=ReportState.OPEN).update(
        state=ReportState.RESOLVED, closed_at=timezone.now()
    )


def set_work_hidden(*, work: Work, by: User, reason: str, hidden: bool) -> bool:
    """Hide a work from everyone but its author and staff (or show it again); True if it changed."""
    _require_moderator(by)
    reason = _require_reason(reason)
    with transaction.atomic():
        changed = Work.objects.filter(pk=work.pk, is_hidden=not hidden).update(is_hidden=hidden)
        if not changed:
            return False
        work.is_hidden = hidden
        index_works([work.pk])
        entry = _record(
            by=by,
            action=Action.HIDE_WORK if hidden else Action.RESTORE_WORK,
            target=work,
            reason=reason,
        )
        if hidden:
            _close_reports(work)
        what = f"Your work {label_of(work)} was {'hidden' if hidden else 'restored'}"
        _tell(person_id=work.owner_id, entry=entry, work=work, what=what)
    return True


def set_comment_hidden(*, comment: Comment, by: User, reason: str, hidden: bool) -> bool:
    """Hide a published comment's text from all but staff (or publish it again).

    True if it changed.
    """
    _require_moderator(by)
    reason = _require_reason(reason)
    with transaction.atomic():
        if not comments.set_comment_hidden(comment=comment, hidden=hidden):
            return False
        entry = _record(
            by=by,
            action=Action.HIDE_COMMENT if hidden else Action.RESTORE_COMMENT,
            target=comment,
            reason=reason,
        )
        if hidden:
            _close_reports(comment)
        if comment.user_id is not None:
            what = (
                f"Your comment on {label_of(comment.work)} was {'hidden' if hidden else 'restored'}"
            )
            excerpt = to_plain_text(comment.body)[:200]
            _tell(
                person_id=comment.user_id,
                entry=entry,
                work=comment.work,
                what=f"{what} (“{excerpt}”)",
            )
    return True


def suspend_account(
    *, user: User, by: User, reason: str, until: datetime | None = None
) -> Suspension:
    """Bar ``user`` from writing until ``until`` (None: until lifted); they may still read.

    Suspending someone already suspended replaces the suspension in force
    with this one (a new end, a new reason).
    """
    _require_moderator(by)
    reason = _require_reason(reason)
    if user.pk == by.pk:
        raise ValidationError("You cannot suspend your own account.")
    if until is not None and until <= timezone.now():
        raise ValidationError("A suspension ends in the future; leave the end empty for no end.")
    with transaction.atomic():
        now = timezone.now()
        Suspension.objects.filter(person=user, lifted_at__isnull=True).update(lifted_at=now)
        suspension = Suspension.objects.create(person=user, reason=reason, until=until, by=by)
        entry = _record(by=by, action=Action.SUSPEND, target=user, reason=reason, until=until)
        _close_reports(user)
        end = f"until {until:%d %B %Y, %H:%M} UTC" if until else "until a moderator lifts it"
        _tell(person_id=user.pk, entry=entry, work=None, what=f"Your account was suspended {end}")
    return suspension


def lift_suspension(*, user: User, by: User, reason: str) -> bool:
    """End ``user``'s suspension now; True if one was in force."""
    _require_moderator(by)
    reason = _require_reason(reason)
    with transaction.atomic():
        now = timezone.now()
        lifted = Suspension.objects.filter(person=user, lifted_at__isnull=True).update(
            lifted_at=now
        )
        if not lifted:
            return False
        entry = _record(by=by, action=Action.LIFT_SUSPENSION, target=user, reason=reason)
        _tell(
            person_id=user.pk, entry=entry, work=None, what="Your account's suspension was lifted"
        )
    return True


def dismiss_report(*, report: Report, by: User, reason: str) -> bool:
    """Close an open report with nothing done about its target; True if it was open."""
    _require_moderator(by)
    reason = _require_reason(reason)
    with transaction.atomic():
        closed = Report.objects.filter(pk=report.pk, state=ReportState.OPEN).update(
            state=ReportState.DISMISSED, closed_at=timezone.now()
        )
        if not closed:
            return False
        _record(by=by, action=Action.DISMISS_REPORT, target=report, reason=reason)
    return True


# Telling the person ------------------------------------------------------------------


def _tell(*, person_id: int, entry: AuditEntry, work: Work | None, what: str) -> None:
    """An inbox notice now, an email once the action is committed."""
    message = f"{what}. The moderator's reason: {entry.reason}"
    inbox.deliver(
        recipients=[person_id], kind=Kind.NOTICE, work=work, notice_id=entry.pk, excerpt=message
    )
    transaction.on_commit(lambda: email_notice(person_id=person_id, subject=what, message=message))


def email_notice(*, person_id: int, subject: str, message: str) -> None:
    """Email a moderator's notice; a failure is logged, the action stands."""
    person = User.objects.filter(pk=person_id, is_active=True).exclude(email="").first()
    if person is None:
        return
    body = render_to_string(
        "moderation/email/notice.txt",
        {"person": person, "message": message, "site_url": settings.SITE_URL},
    )
    try:
        send_mail(subject, body, None, [person.email])
    except OSError:
        log.exception("could not email moderation notice to user %s", person_id)
