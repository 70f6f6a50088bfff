"""The replica router: which of two real database aliases each query of a request reaches.

``replica`` mirrors the test database here (tests/conftest.py), so both
aliases see the same rows and only the router decides where a query runs;
the queries each alias ran are counted. tests/archive/test_replica.py runs
the same paths against a real streaming replica (tools/pg-replica check).
Transactional tests: inside the usual per-test transaction every read goes
to the primary, as the router promises.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core import signing
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from fanfold.archive.dbrouting import (
    PRIMARY,
    REPLICA,
    WROTE_COOKIE,
    PrimaryReplicaRouter,
    replica_reads,
)
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Work
from tests.archive.factories import UserFactory, make_work

pytestmark = pytest.mark.django_db(transaction=True, databases=[PRIMARY, REPLICA])

MIDDLEWARE = "fanfold.archive.dbrouting.ReadYourWritesMiddleware"


@pytest.fixture(autouse=True)
def routed() -> Iterator[None]:
    """Settings as ``DATABASE_REPLICA_URL`` makes them: the router, and its middleware."""
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(
        middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1, MIDDLEWARE
    )
    with override_settings(
        DATABASE_ROUTERS=["fanfold.archive.dbrouting.PrimaryReplicaRouter"], MIDDLEWARE=middleware
    ):
        yield


class Counted:
    """The queries each alias ran inside a ``with`` block."""

    def __enter__(self) -> Counted:
        self.contexts = {
            alias: CaptureQueriesContext(connections[alias]) for alias in (PRIMARY, REPLICA)
        }
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        for context in self.contexts.values():
            context.__exit__(*exc)

    def __getitem__(self, alias: str) -> int:
        return len(self.contexts[alias].captured_queries)


def primary_reads_beyond_the_page_file_check(counted: Counted) -> list[str]:
    """The primary's queries, less the one a stranger's freshly rendered work page
    makes before leaving its file for nginx (``pagecache._write_file`` checks the
    version on the primary, as a lagging replica would agree with a stale page)."""
    queries = [q["sql"] for q in counted.contexts[PRIMARY].captured_queries]
    return [sql for sql in queries if not sql.startswith('SELECT "works_work"."version"')]


@pytest.fixture
def work() -> Work:
    return make_work(owner=UserFactory(username="author"))


def get(client: Client, url: str) -> tuple[Any, Counted]:
    with Counted() as counted:
        response = client.get(url)
    assert response.status_code == 200
    return response, counted


def test_a_strangers_page_is_read_wholly_from_the_replica(work: Work) -> None:
    response, counted = get(Client(), reverse("works:work", args=[work.pk]))
    assert work.title in response.content.decode()
    assert counted[REPLICA] > 0
    assert primary_reads_beyond_the_page_file_check(counted) == []
    assert WROTE_COOKIE not in response.cookies  # nothing written, nothing pinned


def test_a_signed_in_readers_pages_come_from_the_replica_too(work: Work) -> None:
    client = Client()
    client.force_login(UserFactory(username="reader"))
    get(client, reverse("search:home"))  # the first visit may note the session
    _, counted = get(client, reverse("search:home"))
    assert counted[REPLICA] > 0
    assert counted[PRIMARY] == 0, counted.contexts[PRIMARY].captured_queries


def test_after_leaving_kudos_the_readers_next_pages_read_the_primary(work: Work) -> None:
    reader = UserFactory(username="reader")
    client = Client()
    client.force_login(reader)
    with Counted() as posting:
        response = client.post(reverse("reading:kudos", args=[work.pk]))
    assert response.status_code == 302
    assert posting[REPLICA] == 0  # a POST reads what it is about to change from the primary
    assert WROTE_COOKIE in response.cookies
    assert response.cookies[WROTE_COOKIE]["max-age"] == settings.READ_YOUR_WRITES_SECONDS
    page, counted = get(client, response["Location"])
    assert counted[PRIMARY] > 0
    assert counted[REPLICA] == 0
    assert "reader" in page.content.decode()  # their kudos is on the page at once


def test_another_visitor_keeps_reading_the_replica_meanwhile(work: Work) -> None:
    writer = Client()
    writer.force_login(UserFactory(username="reader"))
    writer.post(reverse("reading:kudos", args=[work.pk]))
    _, counted = get(Client(), reverse("works:work", args=[work.pk]))
    assert primary_reads_beyond_the_page_file_check(counted) == []


def test_once_the_window_has_passed_reads_return_to_the_replica(work: Work) -> None:
    client = Client()
    signer = signing.get_cookie_signer(salt=WROTE_COOKIE + "fanfold.archive.dbrouting.wrote")
    long_ago = int(time.time()) - settings.READ_YOUR_WRITES_SECONDS - 1
    signer.timestamp = lambda: signing.b62_encode(long_ago)  # type: ignore[method-assign]
    client.cookies[WROTE_COOKIE] = signer.sign(str(long_ago))
    _, counted = get(client, reverse("works:work", args=[work.pk]))
    assert counted[PRIMARY] == 0
    client.cookies[WROTE_COOKIE] = "forged"  # a cookie that is not ours changes nothing either
    _, counted = get(client, reverse("works:work", args=[work.pk]))
    assert counted[PRIMARY] == 0


def test_a_get_that_writes_reads_the_primary_from_then_on_and_pins_the_visitor(work: Work) -> None:
    router = PrimaryReplicaRouter()
    with replica_reads() as request:
        assert router.db_for_read(Work) == REPLICA
        Work.objects.filter(pk=work.pk).update(hit_count=1)
        assert request.wrote
        assert router.db_for_read(Work) == PRIMARY


def test_inside_a_transaction_every_read_is_the_primarys(work: Work) -> None:
    with replica_reads(), Counted() as counted:
        assert Work.objects.filter(pk=work.pk).exists()
        with transaction.atomic():
            assert Work.objects.filter(pk=work.pk).exists()
            assert User.objects.filter(username="author").exists()
    assert (counted[REPLICA], counted[PRIMARY]) == (1, 4)  # two reads, and BEGIN and COMMIT


def test_outside_a_request_workers_and_commands_read_the_primary(work: Work) -> None:
    with Counted() as counted:
        assert Work.objects.get(pk=work.pk).title == work.title
    assert (counted[PRIMARY], counted[REPLICA]) == (1, 0)


def test_migrations_run_on_the_primary_only() -> None:
    router = PrimaryReplicaRouter()
    assert router.allow_migrate(PRIMARY, "works")
    assert not router.allow_migrate(REPLICA, "works")
    assert router.db_for_write(Work) == PRIMARY
    assert router.allow_relation(object(), object())
