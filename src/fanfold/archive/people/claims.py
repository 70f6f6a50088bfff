"""Claiming an account imported from another archive (an eFiction export).

Imported authors' accounts get unusable passwords (``services.account_for_imported_author``),
and Django's password reset skips such accounts, so without this they could
never log in. Each unclaimed one with an address is emailed a link (``fanfold
invite_imported`` or the admin's action; or the author asks for one on the
claim page) to a page where they choose a password and are logged in.

The link's token is Django's reset token under its own salt: it hashes the
account's password (unusable, but random and stored), so it stops working
once a password is set (single use), and after ``PASSWORD_RESET_TIMEOUT``
(a day). A claim link is not a reset link and the other way round.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from fanfold.archive.people.invitations import first_email_in_a_while
from fanfold.archive.people.models import User

log = logging.getLogger(__name__)

LINK_NOT_VALID = (
    "This link does not work: it was used already or is more than a day old."
    " Ask for a new one below with the email address of your imported account."
)


# Django's mark of an unusable password (django.contrib.auth.hashers.UNUSABLE_PASSWORD_PREFIX).
UNUSABLE = UNUSABLE_PASSWORD_PREFIX


class ClaimTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "fanfold.archive.people.claims"


claim_tokens = ClaimTokenGenerator()


def unclaimed_imported() -> QuerySet[User]:
    """Accounts made by an import that nobody has taken up: no password, never logged in."""
    return (
        User.objects.filter(is_active=True, last_login__isnull=True, password__startswith=UNUSABLE)
        .exclude(email="")
        .order_by("pk")
    )


def claim_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("people:claim", args=[uid, claim_tokens.make_token(user)])


def _send_link(user: User) -> None:
    context = {
        "user": user,
        "link": f"{settings.SITE_URL}{claim_path(user)}",
        "again": f"{settings.SITE_URL}{reverse('people:claim_request')}",
    }
    body = render_to_string("people/claim_email.txt", context)
    try:
        send_mail("[Fanfold] Your works are here: claim your account", body, None, [user.email])
    except OSError as error:  # smtplib's errors are OSErrors
        log.warning("A claim link to account %s was not sent: %s", user.pk, error)
        raise ValidationError("The email could not be sent just now; try again later.") from None


def send_claim_links(
    *, accounts: QuerySet[User] | None = None, dry_run: bool = False
) -> list[User]:
    """Email each unclaimed imported account (of ``accounts``, or all) its claim link.

    Returns the accounts emailed (or that would be, with ``dry_run``). A mail
    server that fails stops the run with ValidationError.
    """
    chosen = unclaimed_imported()
    if accounts is not None:
        chosen = chosen.filter(pk__in=accounts.values("pk"))
    people = list(chosen)
    if not dry_run:
        for user in people:
            _send_link(user)
    return people


def send_claim_link_to(*, email: str) -> None:
    """The claim page's request: a link goes to ``email`` if an unclaimed account has it.

    Nothing tells the asker whether one did, so the page reveals no accounts;
    asking again within ten minutes sends nothing more.
    """
    if not first_email_in_a_while(kind="claim", address=email.strip()):
        return
    for user in unclaimed_imported().filter(email__iexact=email.strip()):
        _send_link(user)


def account_to_claim(*, uidb64: str, token: str) -> User:
    """The account a claim link is for, or ValidationError when the link does not work."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(LINK_NOT_VALID) from None
    user = unclaimed_imported().filter(pk=pk).first()
    if user is None or not claim_tokens.check_token(user, token):
        raise ValidationError(LINK_NOT_VALID)
    return user


def claim_account(*, uidb64: str, token: str, password: str) -> User:
    """Set the account's first password (already validated by the form); the link then dies.

    The account is locked while the token is checked again, so the same link
    followed twice at once sets one password.
    """
    with transaction.atomic():
        user = account_to_claim(uidb64=uidb64, token=token)
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.password != user.password:
            raise ValidationError(LINK_NOT_VALID)
        locked.set_password(password)
        locked.save(update_fields=["password"])
    return locked
