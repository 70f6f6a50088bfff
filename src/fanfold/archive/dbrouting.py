"""Reads from a PostgreSQL streaming replica, with each visitor's own writes read back at once.

Installed by settings only when ``DATABASE_REPLICA_URL`` names a replica
(the database alias ``replica``); without it nothing here runs.

Where a query goes:

- every write, every query inside a transaction (``atomic``) and every
  migration: the primary (``default``);
- a read during a safe request (GET, HEAD, OPTIONS) of a visitor who has not
  written in the last ``READ_YOUR_WRITES_SECONDS``: the replica;
- every other read: the primary. That is a read during a POST (a form checks
  what it is about to change), after the request itself wrote, and outside
  any request at all: ``fanfold worker`` runs a job the moment it is queued,
  before a replica may have replayed the work it reads, and commands such as
  ``fanfold backup`` want the newest data.

A request that wrote (any POST, or any write through the router) leaves a
signed cookie with the time; for ``READ_YOUR_WRITES_SECONDS`` after it, that
browser's reads go to the primary, so the comment or kudos a reader just left
is on the page the redirect shows, however far the replica lags. Setting
(or forging) the cookie only ever sends reads to the primary.

>>> router = PrimaryReplicaRouter()
>>> router.db_for_read(None)  # outside a request
'default'
>>> with replica_reads():
...     router.db_for_read(None)
'replica'
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

PRIMARY = DEFAULT_DB_ALIAS
REPLICA = "replica"
WROTE_COOKIE = "fanfold_wrote"
_SALT = "fanfold.archive.dbrouting.wrote"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _Request:
    """What the router knows of the request this thread or task is serving."""

    may_read_replica: bool
    wrote: bool = False


_current: ContextVar[_Request | None] = ContextVar("fanfold_dbrouting_request", default=None)


@contextlib.contextmanager
def replica_reads() -> Iterator[_Request]:
    """Let reads in this block go to the replica, as a safe request's do."""
    state = _Request(may_read_replica=True)
    token = _current.set(state)
    try:
        yield state
    finally:
        _current.reset(token)


def for_reading() -> BaseDatabaseWrapper:
    """The connection a raw read should use (routers only see the ORM's queries).

    The search app's listing and snippet SQL goes through it, so listings,
    the heaviest reads, are the replica's too. Without a router, the primary.
    """
    return connections[router.db_for_read(Model)]  # no one model: raw SQL may join many


class PrimaryReplicaRouter:
    """Writes, transactions and migrations on the primary; reads where the request allows."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        state = _current.get()
        if state is None or not state.may_read_replica or state.wrote:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY  # a transaction reads what it has written, and locks what it reads
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        state = _current.get()
        if state is not None:
            state.wrote = (
                True  # the rest of this request, and the visitor's next ones, read it back
            )
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY  # the replica replays the primary's migrations by itself


def recently_wrote(request: HttpRequest) -> bool:
    """True while the visitor's last write is younger than ``READ_YOUR_WRITES_SECONDS``."""
    try:
        request.get_signed_cookie(
            WROTE_COOKIE, salt=_SALT, max_age=settings.READ_YOUR_WRITES_SECONDS
        )
    except (KeyError, signing.BadSignature):  # none, forged, or expired
        return False
    return True


class ReadYourWritesMiddleware:
    """Lets a safe request of a visitor who has not just written read from the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        state = _Request(
            may_read_replica=request.method in SAFE_METHODS and not recently_wrote(request)
        )
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if state.wrote or request.method not in SAFE_METHODS:
            response.set_signed_cookie(
                WROTE_COOKIE,
                str(int(time.time())),
                salt=_SALT,
                max_age=settings.READ_YOUR_WRITES_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
