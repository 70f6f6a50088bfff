"""The personas of the archive's tests: the author, a reader, a stranger, an admin."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.management.commands.db_worker import Worker

from fanfold.archive.people.models import User
from fanfold.archive.reading import hits
from fanfold.archive.works import services
from tests.archive.factories import UserFactory, add_works_to_series
from tests.conftest import missing


@pytest.fixture(autouse=True)
def own_data_dir(settings: Any, tmp_path: Path) -> Path:
    """Each test writes files (cached downloads, uploads) to its own folder.

    Parallel workers have separate databases with the same work ids, so a
    shared folder would let one worker's files replace another's.
    """
    settings.DATA_DIR = tmp_path / "data"
    return Path(settings.DATA_DIR)


@pytest.fixture(autouse=True)
def no_hits_left_over() -> Any:
    """Each test counts hits from an empty buffer, and leaves none for the next."""
    hits.BUFFER.forget()
    yield
    hits.BUFFER.forget()


@pytest.fixture(autouse=True)
def no_attempts_counted() -> None:
    """Each test starts with no sign-up, reset or code attempts counted (they live in the cache)."""
    cache.clear()


@pytest.fixture
def author(db: None) -> User:
    return UserFactory(username="author")


@pytest.fixture
def reader(db: None) -> User:
    return UserFactory(username="reader")


@pytest.fixture
def admin(db: None) -> User:
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def as_author(author: User) -> Client:
    client = Client()
    client.force_login(author)
    return client


@pytest.fixture
def as_reader(reader: User) -> Client:
    client = Client()
    client.force_login(reader)
    return client


@pytest.fixture
def as_admin(admin: User) -> Client:
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def as_stranger(db: None) -> Client:
    """Someone who is not logged in."""
    return Client()


# Shared by the page tests of more than one app.

# The persona fixtures, in the order the access tables list them.
PERSONAS = ["as_author", "as_reader", "as_stranger", "as_admin"]


def queries_for(client: Client, url: str) -> int:
    """How many queries one GET of a page costs; the page must be found."""
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def listing_queries(client: Client, author: User, url_for: Callable[[User], str]) -> list[int]:
    """A listing's queries with 2 and then 12 of the author's works in a series.

    A listing that prefetches its blurbs' data costs the same for both; one
    that queries per work grows. ``url_for`` makes the page's address once the
    author's series exists.
    """
    series = services.create_series(owner=author, title="A Series")
    add_works_to_series(owner=author, series=series, count=2)
    url = url_for(author)
    queries_for(client, url)  # warm the session and caches
    with_two = queries_for(client, url)
    add_works_to_series(owner=author, series=series, count=10)
    return [with_two, queries_for(client, url)]


# Browser tests: Playwright drives Debian's Chromium (never a downloaded browser).

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        missing("Chromium is not at /usr/bin/chromium (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


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
def run_worker(transactional_db: None) -> Callable[[], None]:
    """The worker, in a test whose database commits for real (``transactional_db``).

    The worker closes its connection between jobs (``close_old_connections``),
    as a long-running process should. Inside a test's wrapping transaction,
    that would close the test's own connection on PostgreSQL (SQLite's
    in-memory test database ignores the close), so a test running the worker
    commits as production does.
    """
    return run_worker_until_idle
