"""``fanfold restore``: its refusals are command errors an operator can act on.

The whole round trip, run as its own process on a fresh install, is in
``tests/archive/backups/test_archive.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.archive.factories import UserFactory


@pytest.mark.django_db
def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"no-such\.tar\.gz: no such file"):
        call_command("restore", str(tmp_path / "no-such.tar.gz"))


@pytest.mark.django_db(transaction=True)
def test_restoring_over_accounts_asks_for_force(tmp_path: Path) -> None:
    UserFactory(username="here_first")
    call_command("backup", str(tmp_path / "b.tar.gz"))
    with pytest.raises(CommandError, match="pass --force"):
        call_command("restore", str(tmp_path / "b.tar.gz"))
