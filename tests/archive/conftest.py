"""The personas of the archive's tests: the author, a reader, a stranger, an admin."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tasks_db.management.commands.db_worker import Worker
from psycopg.types.string import TextLoader

from fanfold.archive.people.models import User
from fanfold.archive.reading import history, hits
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
def no_hits_left_over(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Each test counts hits from an empty buffer, and leaves none for the next.

    Nor does the buffer flush because a minute went by: on a loaded machine a
    test can take that long, and a page's query count would then include the
    flush (tests of flushing set their own limits).
    """
    hits.BUFFER.forget()
    history.BUFFER.forget()
    monkeypatch.setattr(hits.BUFFER, "flush_seconds", float("inf"))
    monkeypatch.setattr(history.BUFFER, "flush_seconds", float("inf"))
    yield
    hits.BUFFER.forget()
    history.BUFFER.forget()


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


# Processes of their own: the `fanfold` command on an archive of its own.

FANFOLD = str(Path(sys.executable).with_name("fanfold"))


@dataclass
class SeparateArchive:
    """An empty archive of the same kind as the test's, for ``fanfold`` processes.

    SQLite: a new data directory. PostgreSQL: a new database in the test's
    cluster, dropped afterwards. ``env`` points a process at it; ``connect()``
    opens a plain DB-API connection to it that returns values as Django's
    cursor does (UTC times, JSON as text), so rows compare equal.
    """

    env: dict[str, str]
    data_dir: Path
    url: str = ""

    def fanfold(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [FANFOLD, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def python(self, *args: str, timeout: int = 300) -> subprocess.CompletedProcess[str]:
        """Our own Python program, run against this archive."""
        return subprocess.run(
            [sys.executable, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def connect(self) -> Any:
        if not self.url:
            return sqlite3.connect(
                self.data_dir / "fanfold.sqlite3",
                detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES,
            )
        database = psycopg.connect(self.url, options="-c timezone=UTC")
        database.adapters.register_loader("jsonb", TextLoader)
        return database


@contextlib.contextmanager
def separate_archive_in(folder: Path) -> Iterator[SeparateArchive]:
    """A :class:`SeparateArchive` whose files live in ``folder`` (needs database access)."""
    env = {**os.environ, "FANFOLD_DATA_DIR": str(folder)}
    env.pop("FANFOLD_SECRET_KEY", None)  # its own key file, as a fresh install has
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        yield SeparateArchive(env, folder)
        return
    settings = connection.settings_dict
    name = f"separate_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    secret = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    url = f"postgresql://{settings['USER']}{secret}@{settings['HOST']}:{settings['PORT']}/{name}"
    env["DATABASE_URL"] = url
    try:
        yield SeparateArchive(env, folder, url)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def separate_archive(transactional_db: None, tmp_path: Path) -> Iterator[SeparateArchive]:
    with separate_archive_in(tmp_path / "separate") as archive:
        yield archive
