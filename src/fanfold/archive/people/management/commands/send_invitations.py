"""``fanfold send_invitations N``: email invitations to the N oldest requests in the queue.

Each invitation is a single-use code, emailed as a link that fills in the
signup form. Requests already invited are never invited twice.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanfold.archive.people.invitations import send_invitations, waiting_count


class Command(BaseCommand):
    help = __doc__.splitlines()[0] if __doc__ else ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("count", type=int, help="how many requests to invite, oldest first")

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["count"]
        if count < 1:
            raise CommandError("Say how many to invite: a number of 1 or more.")
        try:
            sent = send_invitations(count=count)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Sent {sent} invitation(s); {waiting_count()} request(s) still waiting.")
