"""``fanfold worker``: run background jobs (works' readings) from the database queue.

django-tasks-db's worker with Fanfold's defaults: every queue, and no
reloading. Start as many as you like, on any machine that reaches the
database; each job is claimed by exactly one. ``--batch`` works through
what is queued and exits (for cron, or a test).
"""

from __future__ import annotations

from argparse import ArgumentParser

from django_tasks_db.management.commands import db_worker


class Command(db_worker.Command):
    help = __doc__.splitlines()[0] if __doc__ else ""

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)
