"""``fanfold send_digests``: email each daily subscriber what was posted since their last digest.

Run it once a day (cron or a systemd timer, see the README). Each reader's
digest mark moves past what was sent, so running it twice sends nothing
twice, and a reader with nothing new gets no email.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fanfold.archive.reading.services import send_digests


class Command(BaseCommand):
    help = __doc__.splitlines()[0] if __doc__ else ""

    def handle(self, *args: Any, **options: Any) -> None:
        people, entries = send_digests()
        self.stdout.write(f"Sent {people} digest(s) with {entries} new post(s).")
