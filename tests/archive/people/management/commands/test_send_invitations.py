"""``fanfold send_invitations N`` invites the N oldest waiting requests and says how many wait."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from fanfold.archive.people import invitations

pytestmark = pytest.mark.django_db


def test_the_command_invites_the_oldest_requests() -> None:
    for n in range(3):
        invitations.join_queue(email=f"p{n}@example.org", link_for=str)
    mail.outbox.clear()
    out = StringIO()
    call_command("send_invitations", "2", stdout=out)
    assert out.getvalue().strip() == "Sent 2 invitation(s); 1 request(s) still waiting."
    assert [message.to for message in mail.outbox] == [["p0@example.org"], ["p1@example.org"]]


def test_the_command_refuses_a_count_below_one() -> None:
    with pytest.raises(CommandError, match="1 or more"):
        call_command("send_invitations", "0")
