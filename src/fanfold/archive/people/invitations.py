"""Invite-only registration (``FANFOLD_REGISTRATION=invite``), as AO3 runs it.

A visitor joins a queue with an email address and is sent a signed link to a
page showing their place (the queue shows no one else). The operator sends
invitations, oldest request first (``fanfold send_invitations N`` or the
admin's action); each is a single-use code emailed as a link that fills in
the signup form, and works for ``INVITATION_DAYS``. Creating the account
uses the code in the same transaction, so a code can never make two.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from fanfold.archive.people.models import Invitation, InvitationRequest, User

log = logging.getLogger(__name__)

INVITATION_DAYS = 14
QUEUE_SALT = "fanfold.people.invitation-queue"
CODE_UNKNOWN = "That invitation code is not one we sent. Check the link in your invitation email."
CODE_USED = "That invitation was used already: each invitation makes one account."
CODE_EXPIRED = (
    "That invitation has expired (they last {days} days). Ask for a new one by joining the queue."
)
QUEUE_LINK_NOT_VALID = "This link does not work: open the one in the email we sent you."
EMAIL_NOT_SENT = "The email could not be sent just now; try again later."


def registration() -> str:
    """How accounts are made here: "open", "invite" or "closed" (``FANFOLD_REGISTRATION``)."""
    return str(settings.REGISTRATION)


def normalised_email(address: str) -> str:
    """One form per address, so the queue holds each person once.

    >>> normalised_email("  Ivy.Lane@Example.ORG ")
    'ivy.lane@example.org'
    """
    return BaseUserManager.normalize_email(address.strip()).lower()


def site_link(path: str) -> str:
    """An absolute link for an email sent outside a request (a command, a worker)."""
    return f"{settings.SITE_URL}{path}"


def _send(template: str, context: dict[str, object], *, subject: str, to: str) -> None:
    try:
        send_mail(f"[Fanfold] {subject}", render_to_string(template, context), None, [to])
    except OSError as error:  # smtplib's errors are OSErrors
        log.warning("An email (%s) was not sent: %s", subject, error)
        raise ValidationError(EMAIL_NOT_SENT) from None


# The queue ---------------------------------------------------------------------------


def queue_token(entry: InvitationRequest) -> str:
    """The signed part of the link to an entry's place; it names the entry and nothing else."""
    return signing.dumps(entry.pk, salt=QUEUE_SALT)


def entry_for_token(token: str) -> InvitationRequest:
    """The queue entry a link names, or ValidationError when the link is not ours."""
    try:
        pk = signing.loads(token, salt=QUEUE_SALT)
    except signing.BadSignature:
        raise ValidationError(QUEUE_LINK_NOT_VALID) from None
    entry = InvitationRequest.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if entry is None:
        raise ValidationError(QUEUE_LINK_NOT_VALID)
    return entry


def queue_position(entry: InvitationRequest) -> int | None:
    """1 for the next to be invited; None once the entry's invitation is sent."""
    if entry.invited_at is not None:
        return None
    ahead = InvitationRequest.objects.filter(invited_at__isnull=True).filter(
        Q(created_at__lt=entry.created_at) | Q(created_at=entry.created_at, pk__lt=entry.pk)
    )
    return ahead.count() + 1


def waiting_count() -> int:
    return InvitationRequest.objects.filter(invited_at__isnull=True).count()


def join_queue(*, email: str, link_for: Callable[[str], str]) -> InvitationRequest:
    """Put ``email`` in the queue (once: asking again keeps the first place) and email it a
    link (``link_for(token)``) to its place. The answer is the same whether the address
    was queued before or not, so the form tells no one who else is waiting.
    """
    address = normalised_email(email)
    try:
        with transaction.atomic():
            entry, _ = InvitationRequest.objects.get_or_create(email=address)
    except IntegrityError:  # the same address sent twice at once: the other one won
        entry = InvitationRequest.objects.get(email=address)
    entry = _requeue_if_lapsed(entry)
    if first_email_in_a_while(kind="queue", address=address):
        context = {"entry": entry, "link": link_for(queue_token(entry)), "days": INVITATION_DAYS}
        _send("people/queue_email.txt", context, subject="Your place in the queue", to=address)
    return entry


RESEND_AFTER = 10 * 60  # seconds


def first_email_in_a_while(*, kind: str, address: str) -> bool:
    """True at most once every ``RESEND_AFTER`` per kind and address.

    A form that emails any address it is given must not become a way to
    flood someone's inbox: asking again soon sends nothing more (the page
    says the same either way). Kept in the cache, like the comment limits.
    """
    digest = hashlib.sha256(address.lower().encode()).hexdigest()[:32]
    return bool(cache.add(f"fanfold:email:{kind}:{digest}", 1, timeout=RESEND_AFTER))


def _requeue_if_lapsed(entry: InvitationRequest) -> InvitationRequest:
    """An entry whose invitation expired unused goes back in the queue, at its end."""
    if entry.invited_at is None:
        return entry
    now = timezone.now()
    with transaction.atomic():
        lapsed = Invitation.objects.filter(request=entry, used_at__isnull=True, expires_at__lte=now)
        if not lapsed.update(request=None):
            return entry
        InvitationRequest.objects.filter(pk=entry.pk).update(invited_at=None, created_at=now)
    entry.refresh_from_db()
    return entry


# Invitations -------------------------------------------------------------------------


def _new_code() -> str:
    return secrets.token_urlsafe(16)  # 22 characters, 128 random bits


def signup_link(code: str) -> str:
    return site_link(f"{reverse('people:signup')}?code={code}")


def _invite(entry: InvitationRequest, *, now: datetime) -> Invitation:
    """Make and email one invitation; rolled back (and the entry kept waiting) if unsent."""
    with transaction.atomic():
        locked = InvitationRequest.objects.select_for_update().get(pk=entry.pk)
        if locked.invited_at is not None:  # another run sent it meanwhile
            return locked.invitation
        invitation = Invitation.objects.create(
            code=_new_code(),
            email=locked.email,
            request=locked,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
        locked.invited_at = now
        locked.save(update_fields=["invited_at"])
        context = {
            "link": signup_link(invitation.code),
            "code": invitation.code,
            "days": INVITATION_DAYS,
        }
        _send("people/invitation_email.txt", context, subject="Your invitation", to=locked.email)
    return invitation


def send_invitations(*, count: int | None = None, entries: list[int] | None = None) -> int:
    """Invite the ``count`` oldest waiting requests (or those with the ids ``entries``).

    Returns how many were sent. An email that cannot be sent stops the run
    with ValidationError; the invitations sent before it stay sent.
    """
    waiting = InvitationRequest.objects.filter(invited_at__isnull=True).order_by("created_at", "pk")
    if entries is not None:
        waiting = waiting.filter(pk__in=entries)
    if count is not None:
        waiting = waiting[:count]
    sent = 0
    for entry in list(waiting):
        _invite(entry, now=timezone.now())
        sent += 1
    return sent


def check_code(code: str, *, now: datetime | None = None) -> Invitation:
    """The invitation a code names, or ValidationError saying why it cannot be used."""
    invitation = Invitation.objects.filter(code=code.strip()).first()
    if invitation is None:
        raise ValidationError(CODE_UNKNOWN)
    if invitation.used_at is not None:
        raise ValidationError(CODE_USED)
    if invitation.expires_at <= (now or timezone.now()):
        raise ValidationError(CODE_EXPIRED.format(days=INVITATION_DAYS))
    return invitation


def use_code(*, code: str, user: User) -> Invitation:
    """Spend an invitation on ``user``'s new account; call it inside the creating transaction.

    The update is conditional, so of two signups racing with one code only
    one succeeds; the other's ValidationError rolls its account back.
    """
    now = timezone.now()
    invitation = check_code(code, now=now)
    spent = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now, used_by=user)
    if not spent:
        raise ValidationError(CODE_USED)
    return invitation


def create_invited_account(*, code: str, make_account: Callable[[], User]) -> User:
    """Create an account (``make_account``, e.g. a signup form's save) and spend ``code`` on it,
    all or nothing: a code found used or expired meanwhile leaves no account behind.
    """
    with transaction.atomic():
        user = make_account()
        use_code(code=code, user=user)
    return user
