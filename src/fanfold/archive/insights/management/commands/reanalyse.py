"""``fanfold reanalyse [--work ID]... [--force]``: read the archive's works again, here and now.

Works whose text is the version already read are skipped (so a second run
does nothing), unless ``--force``; works whose authors turned reading off
are never read. A work that fails is reported and recorded for its author,
and the others go on. Runs in this process with a progress bar; the web
server and the workers carry on meanwhile.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import Progress

from fanfold.archive.insights import services
from fanfold.archive.works.models import Work


class Command(BaseCommand):
    help = __doc__.splitlines()[0] if __doc__ else ""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--work", type=int, action="append", dest="work_ids", help="only this work (repeatable)"
        )
        parser.add_argument(
            "--force", action="store_true", help="read again even works whose text has not changed"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        works = Work.objects.filter(analysis_enabled=True).order_by("pk")
        if options["work_ids"]:
            works = works.filter(pk__in=options["work_ids"])
            missing = set(options["work_ids"]) - set(works.values_list("pk", flat=True))
            if missing:
                raise CommandError(
                    f"no work to read with id {', '.join(map(str, sorted(missing)))}"
                    " (it does not exist, or its author turned reading off)"
                )
        ids = list(works.values_list("pk", flat=True))
        console = Console(stderr=True)
        tally: Counter[str] = Counter()
        with Progress(console=console, transient=True) as progress:
            bar = progress.add_task("Reading works", total=len(ids))
            for work_id in ids:
                tally[self._read(console, work_id, force=options["force"])] += 1
                progress.advance(bar)
        self.stdout.write(
            f"{len(ids)} work(s): {tally['analysed']} read, {tally['current']} already current,"
            f" {tally['failed']} failed"
        )
        if tally["failed"]:
            raise CommandError(f"{tally['failed']} work(s) could not be read")

    def _read(self, console: Console, work_id: int, *, force: bool) -> str:
        try:
            limit = settings.ANALYSIS_TIME_LIMIT
            return services.analyse_work(work_id=work_id, force=force, limit=limit).outcome.value
        except Exception as error:
            services.record_failure(work_id=work_id, error=error)
            console.print(f"work {work_id}: {services.describe_failure(error)}")
            return "failed"
