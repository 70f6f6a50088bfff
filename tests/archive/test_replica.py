"""Reader pages through the database router, against a real PostgreSQL streaming replica.

Run by ``tools/pg-replica check`` (which ``make test`` runs too): it starts
Debian's PostgreSQL as a primary and a hot-standby replica made by
``pg_basebackup -R``, sets ``DATABASE_URL`` and ``DATABASE_REPLICA_URL`` and
``FANFOLD_PG_REPLICA=1``, and runs this module alone. Elsewhere it is skipped.

No test database is made here: the archive is migrated on the primary
(the replica replays it), works are written through the services, and pages
are read through Django's test client with the router and its middleware
installed by settings, as in production. To prove which copy answered, the
replica's replay is paused: a page that still lacks a new comment was read
from the replica; the commenter, whose reads stay on the primary for a few
seconds, sees it at once.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import reverse

from fanfold.archive.dbrouting import PRIMARY, REPLICA, WROTE_COOKIE
from fanfold.archive.works import pagecache
from tests.archive.factories import UserFactory, make_work
from tests.archive.test_dbrouting import Counted, primary_reads_beyond_the_page_file_check

pytestmark = pytest.mark.skipif(
    os.environ.get("FANFOLD_PG_REPLICA") != "1",
    reason="needs a primary and a streaming replica: tools/pg-replica check runs it",
)


@pytest.fixture(scope="session")
def django_db_setup() -> None:
    """The real databases as configured: no test database (a replica cannot make one)."""


@pytest.fixture(scope="module")
def unblocked(django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        yield


def one(alias: str, sql: str) -> Any:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def replayed() -> None:
    """Wait until the replica has replayed everything the primary has written."""
    target = one(PRIMARY, "SELECT pg_current_wal_lsn()::text")
    for _ in range(300):
        if one(REPLICA, f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"):
            return
        time.sleep(0.1)
    raise AssertionError(f"the replica did not replay up to {target} in 30 s")


@pytest.fixture(scope="module")
def archive(unblocked: None) -> dict[str, Any]:
    call_command("migrate", verbosity=0)  # on the primary: the router allows no other
    author = UserFactory(username="replica-author")
    reader = UserFactory(username="replica-reader")
    work = make_work(owner=author, title="Salt and Signal", chapters=2)
    as_reader = Client()
    as_reader.force_login(reader)
    replayed()
    return {"work": work, "reader": reader, "as_reader": as_reader}


def read(client: Client, url: str) -> tuple[str, Counted]:
    with Counted() as counted:
        response = client.get(url, follow=True)
    assert response.status_code == 200, url
    return response.content.decode(), counted


@pytest.fixture
def replay_paused(archive: dict[str, Any]) -> Iterator[Callable[[], None]]:
    """The replica stops replaying (it keeps answering, from what it had); resumed after."""
    one(REPLICA, "SELECT pg_wal_replay_pause()::text")
    resumed = False

    def resume() -> None:
        nonlocal resumed
        one(REPLICA, "SELECT pg_wal_replay_resume()::text")
        resumed = True
        replayed()

    yield resume
    if not resumed:
        one(REPLICA, "SELECT pg_wal_replay_resume()::text")


def test_the_replica_is_a_streaming_hot_standby_of_the_primary(unblocked: None) -> None:
    assert one(PRIMARY, "SELECT pg_is_in_recovery()") is False
    assert one(REPLICA, "SELECT pg_is_in_recovery()") is True
    assert one(PRIMARY, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == 1


READER_PAGES = {
    "home": lambda work: reverse("search:home"),
    "works": lambda work: reverse("search:works"),
    "search": lambda work: reverse("search:works") + "?q=Salt",
    "work": lambda work: reverse("works:work", args=[work.pk]),
    "full work": lambda work: reverse("works:full", args=[work.pk]),
}


@pytest.mark.parametrize("name", list(READER_PAGES))
def test_reader_pages_are_read_from_the_replica(archive: dict[str, Any], name: str) -> None:
    url = READER_PAGES[name](archive["work"])
    html, counted = read(Client(), url)
    assert "Salt and Signal" in html
    assert counted[REPLICA] > 0
    assert primary_reads_beyond_the_page_file_check(counted) == []
    as_reader = archive["as_reader"]
    as_reader.cookies.pop(WROTE_COOKIE, None)  # as if their last write were long past
    html, counted = read(as_reader, url)
    assert "Salt and Signal" in html
    assert counted[REPLICA] > 0
    # Nothing on the primary: a page view writes nothing (hits and history are
    # noted in memory and written in batches), so the reader stays on the replica.
    assert counted[PRIMARY] == 0, counted.contexts[PRIMARY].captured_queries


def test_a_readers_own_comment_is_on_the_page_at_once_while_others_see_the_replicas_copy(
    archive: dict[str, Any], replay_paused: Callable[[], None]
) -> None:
    work, as_reader = archive["work"], archive["as_reader"]
    response = as_reader.post(
        reverse("comments:post", args=[work.pk]), {"body": "The lighthouse scene, though."}
    )
    assert response.status_code == 302
    assert WROTE_COOKIE in response.cookies
    # The commenter: from the primary, comment and all, though the replica lags behind.
    html, counted = read(as_reader, response["Location"])
    assert "The lighthouse scene, though." in html
    assert counted[PRIMARY] > 0
    assert counted[REPLICA] == 0
    # Anyone else reads the replica, which has not replayed the comment yet.
    html, counted = read(Client(), reverse("works:full", args=[work.pk]))
    assert "The lighthouse scene, though." not in html
    assert primary_reads_beyond_the_page_file_check(counted) == []
    replay_paused()  # resume, and wait for the replica to catch up
    html, _ = read(Client(), reverse("works:full", args=[work.pk]))
    assert "The lighthouse scene, though." in html


def test_a_readers_own_kudos_is_counted_at_once(
    archive: dict[str, Any], replay_paused: Callable[[], None]
) -> None:
    work, as_reader = archive["work"], archive["as_reader"]
    response = as_reader.post(reverse("reading:kudos", args=[work.pk]))
    assert response.status_code == 302
    html, counted = read(as_reader, reverse("works:work", args=[work.pk]))
    assert counted[REPLICA] == 0
    assert "replica-reader" in html  # the kudos line names who left them
    html, _ = read(Client(), reverse("works:work", args=[work.pk]))
    assert "replica-reader" not in html


def test_a_lagging_replica_never_leaves_nginx_a_stale_page_file(
    archive: dict[str, Any], replay_paused: Callable[[], None]
) -> None:
    work, as_reader = archive["work"], archive["as_reader"]
    url = reverse("works:full", args=[work.pk])
    read(Client(), url)
    page_file = pagecache.file_for(url)
    assert page_file is not None
    assert page_file.exists()
    response = as_reader.post(reverse("comments:post", args=[work.pk]), {"body": "Foghorn."})
    assert response.status_code == 302
    assert not page_file.exists()  # the change removed it on commit
    pagecache.page_cache().clear()  # as on an app server that never had the page
    html, _ = read(Client(), url)  # rendered from the replica, which lacks the comment
    assert "Foghorn." not in html
    assert not page_file.exists()  # so it is not left for nginx to serve
    replay_paused()
    html, _ = read(Client(), url)
    assert "Foghorn." in html
    assert "Foghorn." in page_file.read_text()
