"""Suite-wide test settings.

The data directory cannot be chosen here: pytest-django imports the settings
before any conftest runs. ``tools/run-tests`` (``make test``) points
``FANFOLD_DATA_DIR`` at a fresh temporary directory; tests that write files
override ``settings.DATA_DIR`` with their own ``tmp_path``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

REQUIRE_ALL = os.environ.get("FANFOLD_REQUIRE_ALL") == "1"

# Property and fuzz tests explore new inputs on every run on a laptop (and
# keep what failed in .hypothesis/ to replay it). CI replays the same inputs
# every time, so a commit is judged on its code, not on the fuzzer's luck;
# what a local run finds becomes a named regression test.
settings.register_profile("ci", derandomize=True, database=None)
if REQUIRE_ALL:
    settings.load_profile("ci")

# The two real chapters in ../shared (read in place, never copied into the repository).
SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds"
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres:", "postgresql:"))


def missing(reason: str) -> None:
    """A skip on a laptop without the thing; a failure in CI, where nothing may be skipped."""
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (FANFOLD_REQUIRE_ALL=1 forbids skipping)")
    pytest.skip(reason)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("seeds") and not SEEDS.is_dir():
        missing("../shared/seeds is not here")
    if item.get_closest_marker("postgres") and not ON_POSTGRES:
        pytest.skip("a PostgreSQL test: the suite's PostgreSQL pass runs it")
    if item.get_closest_marker("sqlite") and ON_POSTGRES:
        pytest.skip("an SQLite test: the suite's SQLite pass runs it")


@pytest.fixture(autouse=True, scope="session")
def pages_kept_in_memory() -> None:
    """Pages and fragments in each process's memory, not in the machine's files.

    The suite's parallel workers each have databases of their own but share
    one data directory: in files, one worker's work 1 at version 1 would be
    served to another's. Tests of the file store give it a directory of its
    own (``tests/archive/works/test_pagecache.py``); servers the suite starts
    as processes use the files.
    """
    from django.conf import settings as django_settings

    django_settings.PAGE_STORE = "memory"


@pytest.fixture(autouse=True)
def nothing_cached_from_an_earlier_test() -> None:
    """Each test starts with an empty cache: no sign-up, reset or code attempts
    counted, and no stranger's page or per-version fragment kept. A rolled-back
    test frees its ids for the next, whose work 1 at version 1 would otherwise
    be served the page an earlier test cached for its own work 1."""
    from django.core.cache import cache

    from fanfold.archive.works.pagecache import page_cache
    from fanfold.archive.works.versions import fragment_cache

    cache.clear()
    page_cache().clear()
    fragment_cache().clear()


# Playwright's sync API runs an event loop in the test thread; Django's ORM
# must still be usable there (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")


EPUBCHECK = Path("/usr/share/java/epubcheck.jar")


def epubcheck(path: Path) -> subprocess.CompletedProcess[str]:
    """Debian's epubcheck on one book; a skip on a laptop without it, a failure in CI."""
    if not (EPUBCHECK.exists() and shutil.which("java")):
        missing("epubcheck is not installed (apt-get install epubcheck default-jre-headless)")
    return subprocess.run(
        ["java", "-jar", str(EPUBCHECK), str(path)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The test databases, dropped at the end even if a thread left a session open.

    A browser test's live server answers from threads of its own; on
    PostgreSQL a session one of them still holds makes ``DROP DATABASE``
    fail at the very end ("being accessed by other users"), after every
    test passed. Ending those sessions first keeps the teardown certain.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """A second alias, ``replica``, mirroring the test database (Django's ``TEST["MIRROR"]``).

    The database router's tests (tests/archive/test_dbrouting.py) send reads
    through it and count the queries each alias ran; nothing else uses it,
    since settings install the router only with ``DATABASE_REPLICA_URL``. The
    real streaming replica is tests/archive/test_replica.py's (tools/pg-replica check).
    """
    from django.conf import settings as django_settings

    databases = django_settings.DATABASES
    if "replica" not in databases:
        default = databases["default"]
        databases["replica"] = {**default, "TEST": {**default.get("TEST", {}), "MIRROR": "default"}}
