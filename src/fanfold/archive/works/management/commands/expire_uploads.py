"""``fanfold expire_uploads``: remove imports left waiting longer than a day.

Every new upload removes them too; run this daily (cron, a systemd timer)
so an archive nobody uploads to keeps nothing it does not need.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fanfold.archive.works.uploads import expire_uploads


class Command(BaseCommand):
    help = __doc__.splitlines()[0] if __doc__ else ""

    def handle(self, *args: Any, **options: Any) -> None:
        removed = expire_uploads()
        self.stdout.write(f"Removed {removed} import(s) left waiting.")
