"""Claiming an account imported from another archive.

``people.claims`` promises that every imported account nobody has taken up
(no password, never logged in, an address to write to) gets a link, and no
other account does; that a link sets a first password once, then stops
working; that it is not a password reset link; and that asking for a link
by address says nothing about which addresses have accounts.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from fanfold.archive.people import claims
from fanfold.archive.people.models import User
from fanfold.archive.people.services import account_for_imported_author
from tests.archive.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def imported(name: str = "Lady of the Lake", email: str = "lady@example.org") -> User:
    return account_for_imported_author(pen_name=name, email=email, bio="", save=True)


def link_parts(body: str) -> tuple[str, str]:
    found = re.search(r"/claim/([^/\s]+)/([^/\s]+)/", body)
    assert found is not None
    return found.group(1), found.group(2)


def test_only_unclaimed_imported_accounts_with_an_address_are_emailed() -> None:
    lady = imported()
    imported("No Address", email="")
    UserFactory(username="regular")  # has a password
    gone = imported("Closed", email="closed@example.org")
    User.objects.filter(pk=gone.pk).update(is_active=False)
    returned = imported("Returned", email="back@example.org")
    User.objects.filter(pk=returned.pk).update(last_login=timezone.now())
    assert claims.send_claim_links() == [lady]
    assert [message.to for message in mail.outbox] == [["lady@example.org"]]


def test_a_dry_run_sends_nothing() -> None:
    imported()
    assert len(claims.send_claim_links(dry_run=True)) == 1
    assert mail.outbox == []


def test_the_link_sets_a_first_password_once() -> None:
    lady = imported()
    claims.send_claim_links()
    uid, token = link_parts(mail.outbox[0].body)
    assert claims.account_to_claim(uidb64=uid, token=token) == lady
    claimed = claims.claim_account(uidb64=uid, token=token, password=PASSWORD)
    assert claimed.check_password(PASSWORD)
    with pytest.raises(ValidationError, match="used already"):
        claims.claim_account(uidb64=uid, token=token, password="another-long-passphrase")
    assert claims.unclaimed_imported().count() == 0


def test_a_password_reset_token_does_not_claim_and_garbage_is_refused() -> None:
    lady = imported()
    uid, _ = link_parts(claims.claim_path(lady))
    with pytest.raises(ValidationError):
        claims.account_to_claim(uidb64=uid, token=default_token_generator.make_token(lady))
    with pytest.raises(ValidationError):
        claims.account_to_claim(uidb64="!!", token="x")


def test_asking_by_address_emails_only_an_unclaimed_account_and_tells_nothing() -> None:
    imported(email="Lady@Example.org")
    UserFactory(username="regular", email="regular@example.org")
    claims.send_claim_link_to(email="lady@example.org")
    claims.send_claim_link_to(email="regular@example.org")
    claims.send_claim_link_to(email="nobody@example.org")
    assert [message.to for message in mail.outbox] == [["Lady@Example.org"]]


def test_asking_again_at_once_sends_nothing_more() -> None:
    imported()
    claims.send_claim_link_to(email="lady@example.org")
    claims.send_claim_link_to(email="lady@example.org")
    assert len(mail.outbox) == 1
