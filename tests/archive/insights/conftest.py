"""Works with dialogue to read, and the real database worker to read them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django_tasks_db.management.commands.db_worker import Worker

# Our own prose: two people talking, one of them named three ways.
TALK = (
    "<p>Maren Holt pushed the workshop door open.</p>"
    "<p>“You're late,” Tobias said.</p>"
    "<p>“The ferry was late,” Maren said. “Blame the sea.”</p>"
    "<p>“I always do,” he said.</p>"
    "<p>She set her bag on the bench. Tobias watched Holt unpack the charts.</p>"
)
MORE_TALK = (
    "<p>The next morning Tobias found the charts on the floor.</p>"
    "<p>“Maren!” he called.</p>"
    "<p>“Upstairs,” Maren answered.</p>"
)


def run_worker_until_idle() -> None:
    """django-tasks-db's worker, as ``fanfold worker --batch`` runs it, minus signal handlers.

    The command would install SIGINT/SIGTERM handlers in the test process;
    the worker loop is the same code either way.
    """
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


@pytest.fixture
def run_worker() -> Callable[[], None]:
    return run_worker_until_idle
