"""``fanfold invite_imported [--dry-run]``: email each unclaimed imported account a claim link.

Accounts imported from another archive have no password; the link lets their
author choose one (for a day; the claim page sends a new link on request).
``--dry-run`` lists who would be emailed and sends nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanfold.archive.people.claims import send_claim_links


class Command(BaseCommand):
    help = __doc__.splitlines()[0] if __doc__ else ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list, send nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            people = send_claim_links(dry_run=options["dry_run"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for user in people:
            self.stdout.write(f"{user.username} <{user.email}>")
        verb = "Would email" if options["dry_run"] else "Emailed"
        self.stdout.write(f"{verb} {len(people)} imported account(s) a link to claim them.")
