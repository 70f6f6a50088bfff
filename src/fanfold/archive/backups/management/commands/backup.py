"""``fanfold backup [FILE]``: the whole archive in one file, taken while it serves.

Without FILE the backup goes to ``DATA_DIR/backups/fanfold-<UTC time>.tar.gz``.
It holds the database (a consistent copy) and the files Fanfold cannot make
again, such as the secret key: keep it as private as the server.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanfold.archive.backups.archive import BackupError, make_backup


class Command(BaseCommand):
    help = __doc__.splitlines()[0] if __doc__ else ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="where to write the backup")

    def handle(self, *args: Any, **options: Any) -> None:
        destination: Path = options["file"] or default_destination()
        try:
            summary = make_backup(destination)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {summary.rows} rows in {len(summary.tables)} tables"
            f" ({summary.vendor}) and {len(summary.files)} file(s) to {summary.path}"
        )


def default_destination() -> Path:
    """``DATA_DIR/backups/fanfold-20261207T153000Z.tar.gz``: sortable, never reused."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.DATA_DIR) / "backups" / f"fanfold-{stamp}.tar.gz"
