"""``fanfold restore FILE [--force]``: bring an archive back from ``fanfold backup``.

Meant for a fresh install with the server stopped. Everything is checked
before anything changes; an archive that already has accounts is only
replaced with ``--force``. Older backups are migrated forward.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanfold.archive.backups.archive import BackupError, restore_backup


class Command(BaseCommand):
    help = __doc__.splitlines()[0] if __doc__ else ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="a file made by fanfold backup")
        parser.add_argument(
            "--force", action="store_true", help="replace an archive that already has accounts"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = restore_backup(options["file"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {summary.rows} rows in {len(summary.tables)} tables"
            f" ({summary.vendor}) and {len(summary.files)} file(s) from {summary.path}"
        )
