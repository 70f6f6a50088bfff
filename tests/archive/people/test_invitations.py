"""Invite-only registration: the queue and the invitations.

``people.invitations`` promises one queue entry per address however it is
typed; a signed link to an entry's place that shows the place and nothing of
anyone else; invitations sent oldest first, once each, as single-use codes
that expire; no more than one queue email to an address in ten minutes;
and an account made with a code only if the code is spent in the
same transaction (a used or expired code leaves no account behind).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from fanfold.archive.people import invitations
from fanfold.archive.people.models import Invitation, InvitationRequest, User
from tests.archive.factories import UserFactory

pytestmark = pytest.mark.django_db


def link(token: str) -> str:
    return f"https://archive.test/queue/{token}/"


def test_an_address_joins_the_queue_once_however_it_is_typed() -> None:
    first = invitations.join_queue(email="Ivy.Lane@Example.org", link_for=link)
    again = invitations.join_queue(email="  ivy.lane@EXAMPLE.ORG ", link_for=link)
    assert first.pk == again.pk
    assert list(InvitationRequest.objects.values_list("email", flat=True)) == [
        "ivy.lane@example.org"
    ]
    assert len(mail.outbox) == 1  # asking again at once sends nothing more


def test_asking_again_later_sends_the_link_again() -> None:
    invitations.join_queue(email="ivy@example.org", link_for=link)
    cache.clear()  # ten minutes later
    invitations.join_queue(email="ivy@example.org", link_for=link)
    assert len(mail.outbox) == 2


def test_the_queue_email_links_to_the_entrys_place() -> None:
    entry = invitations.join_queue(email="ivy@example.org", link_for=link)
    token = mail.outbox[0].body.split("https://archive.test/queue/")[1].split("/")[0]
    assert invitations.entry_for_token(token) == entry
    assert mail.outbox[0].to == ["ivy@example.org"]


def test_a_forged_or_unknown_queue_link_is_refused() -> None:
    entry = invitations.join_queue(email="ivy@example.org", link_for=link)
    with pytest.raises(ValidationError, match="does not work"):
        invitations.entry_for_token(invitations.queue_token(entry) + "x")
    entry.delete()
    with pytest.raises(ValidationError, match="does not work"):
        invitations.entry_for_token(invitations.queue_token(entry))


def test_positions_count_only_those_still_waiting_ahead() -> None:
    entries = [invitations.join_queue(email=f"p{n}@example.org", link_for=link) for n in range(3)]
    assert [invitations.queue_position(e) for e in entries] == [1, 2, 3]
    assert invitations.send_invitations(count=1) == 1
    entries = [InvitationRequest.objects.get(pk=e.pk) for e in entries]
    assert [invitations.queue_position(e) for e in entries] == [None, 1, 2]
    assert invitations.waiting_count() == 2


def test_invitations_go_oldest_first_once_each_with_a_signup_link() -> None:
    for n in range(3):
        invitations.join_queue(email=f"p{n}@example.org", link_for=link)
    mail.outbox.clear()
    assert invitations.send_invitations(count=2) == 2
    assert [message.to for message in mail.outbox] == [["p0@example.org"], ["p1@example.org"]]
    code = Invitation.objects.get(email="p0@example.org").code
    assert f"/signup/?code={code}" in mail.outbox[0].body
    assert invitations.send_invitations(count=5) == 1  # p2 only: nobody twice
    assert invitations.send_invitations(count=5) == 0


def test_an_unsent_invitation_keeps_its_place(settings: Any) -> None:
    invitations.join_queue(email="p0@example.org", link_for=link)
    settings.EMAIL_BACKEND = "tests.archive.people.test_invitations.BrokenBackend"
    with pytest.raises(ValidationError, match="could not be sent"):
        invitations.send_invitations(count=1)
    assert Invitation.objects.count() == 0
    assert invitations.waiting_count() == 1


class BrokenBackend(BaseEmailBackend):
    """An email backend whose server is down."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ConnectionRefusedError("the mail server is down")


def invitation(*, expires_in: timedelta = timedelta(days=1)) -> Invitation:
    return Invitation.objects.create(
        code="code-1", email="ivy@example.org", expires_at=timezone.now() + expires_in
    )


def test_a_code_makes_one_account_then_is_refused_as_used() -> None:
    invitation()
    user = invitations.create_invited_account(
        code="code-1", make_account=lambda: UserFactory(username="ivy")
    )
    assert Invitation.objects.get().used_by == user
    with pytest.raises(ValidationError, match="used already"):
        invitations.create_invited_account(
            code="code-1", make_account=lambda: UserFactory(username="ivy2")
        )
    assert not User.objects.filter(username="ivy2").exists()  # rolled back with the refusal


def test_an_expired_or_unknown_code_is_refused_saying_why() -> None:
    invitation(expires_in=-timedelta(seconds=1))
    with pytest.raises(ValidationError, match="expired"):
        invitations.check_code("code-1")
    with pytest.raises(ValidationError, match="not one we sent"):
        invitations.check_code("nope")


def test_registration_reads_the_setting(settings: Any) -> None:
    settings.REGISTRATION = "invite"
    assert invitations.registration() == "invite"


def test_an_address_whose_invitation_lapsed_goes_back_in_the_queue_at_its_end() -> None:
    invitations.join_queue(email="ivy@example.org", link_for=link)
    invitations.send_invitations(count=1)
    invitations.join_queue(email="early@example.org", link_for=link)
    again = invitations.join_queue(email="ivy@example.org", link_for=link)
    assert invitations.queue_position(again) is None  # still valid: nothing changes
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    again = invitations.join_queue(email="ivy@example.org", link_for=link)
    assert invitations.queue_position(again) == 2
    mail.outbox.clear()
    assert invitations.send_invitations(count=2) == 2
    assert Invitation.objects.filter(email="ivy@example.org").count() == 2
    assert mail.outbox[1].to == ["ivy@example.org"]
