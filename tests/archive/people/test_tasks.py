"""The password-reset email job: a link to each active account with the address, or nothing."""

from __future__ import annotations

from django.core import mail

from fanfold.archive.people.tasks import send_password_reset
from tests.archive.factories import UserFactory


def test_the_job_emails_a_link_to_a_known_address(db: None) -> None:
    UserFactory(username="wren", email="wren@example.org")
    assert send_password_reset.call("WREN@example.org", "archive.example", True) == 1
    [message] = mail.outbox
    assert message.to == ["wren@example.org"]
    assert "https://archive.example/password/reset/" in message.body


def test_the_job_sends_nothing_for_an_unknown_or_closed_account(db: None) -> None:
    UserFactory(username="gone", email="gone@example.org", is_active=False)
    assert send_password_reset.call("nobody@example.org", "archive.example", False) == 0
    assert send_password_reset.call("gone@example.org", "archive.example", False) == 0
    assert send_password_reset.call("not an address", "archive.example", False) == 0
    assert mail.outbox == []
