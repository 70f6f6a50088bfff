"""``fanfold backup``: where it writes, what it says, how it refuses."""

from __future__ import annotations

import re
import tarfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from fanfold.archive.backups.management.commands.backup import default_destination


def test_by_default_a_backup_goes_to_a_new_time_stamped_file_under_the_data_directory(
    settings: Any,
) -> None:
    path = default_destination()
    assert path.parent == Path(settings.DATA_DIR) / "backups"
    assert re.fullmatch(r"fanfold-\d{8}T\d{6}Z\.tar\.gz", path.name)


@pytest.mark.django_db(transaction=True)
def test_the_command_writes_a_backup_and_says_what_it_holds(tmp_path: Path) -> None:
    out = StringIO()
    call_command("backup", str(tmp_path / "b.tar.gz"), stdout=out)
    assert re.match(r"Backed up \d+ rows in \d+ tables \((sqlite|postgresql)\)", out.getvalue())
    with tarfile.open(tmp_path / "b.tar.gz") as tar:
        assert tar.getnames()[0] == "manifest.json"


@pytest.mark.django_db
def test_the_command_refuses_to_overwrite_with_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "b.tar.gz").write_text("older")
    with pytest.raises(CommandError, match="already exists: choose a new file name"):
        call_command("backup", str(tmp_path / "b.tar.gz"))
