"""``fanfold invite_imported [--dry-run]`` emails each unclaimed imported account its claim link."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from fanfold.archive.people.services import account_for_imported_author

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("invite_imported", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_lists_who_would_be_emailed_and_sends_nothing() -> None:
    account_for_imported_author(pen_name="Quill", email="quill@example.org", bio="", save=True)
    assert run("--dry-run").splitlines() == [
        "Quill <quill@example.org>",
        "Would email 1 imported account(s) a link to claim them.",
    ]
    assert mail.outbox == []


def test_the_command_emails_each_once_per_run() -> None:
    account_for_imported_author(pen_name="Quill", email="quill@example.org", bio="", save=True)
    assert "Emailed 1 imported account(s)" in run()
    assert [message.to for message in mail.outbox] == [["quill@example.org"]]
    assert "/claim/" in mail.outbox[0].body
