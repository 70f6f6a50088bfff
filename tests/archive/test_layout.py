"""docs/deploy.md's many-machine layout, asserted through nginx as visitors meet it.

Run by ``tools/deploy-layout check`` (which ``make test`` runs too): it starts a
PostgreSQL primary and streaming replica, redis-server, two ``fanfold serve``
app machines, a ``fanfold worker`` and nginx with ``deploy/nginx.conf.example``
on loopback, then runs this module alone with ``FANFOLD_LAYOUT=1``,
``FANFOLD_LAYOUT_STATE`` (its files: the shared env file, each machine's log)
and ``FANFOLD_LAYOUT_PORT`` (nginx's HTTPS port). Elsewhere it is skipped.

Nothing is read through Django in this process: visitors talk HTTPS to nginx
(the self-signed certificate is the only one trusted), the databases are read
with plain psycopg, and which app machine answered is read from the access
log each one writes.
"""

from __future__ import annotations

import http.client
import itertools
import os
import re
import socket
import ssl
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.archive.test_server import FANFOLD
from tests.archive.test_worker_kill import kill_workers

pytestmark = pytest.mark.skipif(
    os.environ.get("FANFOLD_LAYOUT") != "1",
    reason="needs the whole layout: tools/deploy-layout check runs it",
)

STATE = Path(os.environ.get("FANFOLD_LAYOUT_STATE", "/nonexistent"))
PORT = int(os.environ.get("FANFOLD_LAYOUT_PORT", "0"))
BASE = f"https://127.0.0.1:{PORT}"
PASSWORD = "layout-password-1"
# Names of this run's own: a layout left running may be checked again.
AUTHOR, READER = (f"layout-{role}-{uuid.uuid4().hex[:6]}" for role in ("author", "reader"))
APPS = ("app1", "app2")


def shared_env() -> dict[str, str]:
    """The variables every machine of the layout has (its /etc/fanfold.env)."""
    lines = (STATE / "fanfold.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer to look at, not to follow


class Visitor:
    """One person's browser: their cookies, nginx's certificate trusted, no redirects followed."""

    def __init__(self) -> None:
        self.jar = CookieJar()
        trusted = ssl.create_default_context(cafile=str(STATE / "nginx" / "cert.pem"))
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=trusted),
            urllib.request.HTTPCookieProcessor(self.jar),
            _NoRedirects(),
        )

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)

    def get(self, path: str, **headers: str) -> Answer:
        return self._send(urllib.request.Request(BASE + path, headers=headers))

    def post(self, path: str, fields: dict[str, str]) -> Answer:
        """A form posted as a browser does: the CSRF token, and this origin as Referer."""
        if self.cookie("csrftoken") is None:
            self.get("/login/")
        data = {**fields, "csrfmiddlewaretoken": self.cookie("csrftoken") or ""}
        request = urllib.request.Request(
            BASE + path,
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": BASE + path},
        )
        return self._send(request)

    def _send(self, request: urllib.request.Request) -> Answer:
        try:
            with self.opener.open(request, timeout=30) as response:
                return Answer(
                    response.status, response.headers, response.read().decode(errors="replace")
                )
        except urllib.error.HTTPError as error:
            return Answer(error.code, error.headers, error.read().decode(errors="replace"))


def until(what: str, condition: Callable[[], Any], seconds: float = 30) -> Any:
    """Poll ``condition`` until it is truthy, and return it; fail naming ``what``."""
    deadline = time.monotonic() + seconds
    while not (found := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"not in {seconds} s: {what}")
        time.sleep(0.1)
    return found


def answered_by(mark: str) -> dict[str, int]:
    """How many requests carrying ``mark`` each app machine logged."""
    return {app: (STATE / f"{app}.log").read_text().count(mark) for app in APPS}


def one(url: str, sql: str) -> Any:
    with psycopg.connect(url, autocommit=True) as connection:
        row = connection.execute(sql).fetchone()
        return row[0] if row else None


def replayed() -> None:
    """Wait until the replica has replayed everything the primary has written."""
    env = shared_env()
    target = one(env["DATABASE_URL"], "SELECT pg_current_wal_lsn()::text")
    check = f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"
    until("the replica replays the primary", lambda: one(env["DATABASE_REPLICA_URL"], check))


@pytest.fixture
def replay_paused() -> Iterator[Callable[[], None]]:
    """The replica stops replaying (it keeps answering from what it has); ``resume()`` after."""
    replica = shared_env()["DATABASE_REPLICA_URL"]
    one(replica, "SELECT pg_wal_replay_pause()::text")

    def resume() -> None:
        one(replica, "SELECT pg_wal_replay_resume()::text")
        replayed()

    yield resume
    one(replica, "SELECT pg_wal_replay_resume()::text")


def fanfold(*args: str, tmp: Path) -> str:
    """A management command on a machine of the layout (its own data dir, the shared env)."""
    env = {**os.environ, **shared_env(), "FANFOLD_DATA_DIR": str(tmp)}
    done = subprocess.run([FANFOLD, *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """An author with one posted work (imported, so a reading job is queued), and a reader."""
    tmp = tmp_path_factory.mktemp("admin-machine")
    make = "from fanfold.archive.people.models import User; " + "; ".join(
        f"User.objects.create_user({name!r}, '{name}@example.org', {PASSWORD!r})"
        for name in (AUTHOR, READER)
    )
    fanfold("shell", "-c", make, tmp=tmp)
    chapter = tmp / "harbour.txt"
    chapter.write_text('"Tide\'s in," Wren said.\n\n"Then we go," said Ossian.\n')
    fanfold("import", "--as", AUTHOR, "--post", str(chapter), tmp=tmp)
    work_id = one(shared_env()["DATABASE_URL"], "SELECT max(id) FROM works_work")
    replayed()
    return {"work_id": work_id}


@pytest.fixture(scope="module")
def reader(archive: dict[str, Any]) -> Visitor:
    visitor = Visitor()
    visitor.get("/login/")
    signed_in = visitor.post("/login/", {"username": READER, "password": PASSWORD})
    assert signed_in.status == 302, signed_in.body[-2000:]
    return visitor


def test_pages_are_spread_over_both_app_machines() -> None:
    mark = f"spread-{uuid.uuid4().hex}"
    statuses = [Visitor().get(f"/?{mark}={n}").status for n in range(20)]
    assert statuses == [200] * 20
    counts = until(
        "both machines logged", lambda: (c := answered_by(mark)) and sum(c.values()) == 20 and c
    )
    assert min(counts.values()) > 0, counts
    print(f"20 pages through nginx: {counts}")


def test_a_sign_in_on_one_machine_holds_on_the_other_with_the_session_in_redis(
    reader: Visitor,
) -> None:
    mark = f"session-{uuid.uuid4().hex}"
    for n in range(10):
        page = reader.get(f"/?{mark}={n}")
        assert page.status == 200
        assert READER in page.body  # the header names who is signed in
    counts = until(
        "both machines logged", lambda: (c := answered_by(mark)) and sum(c.values()) == 10 and c
    )
    assert min(counts.values()) > 0, counts
    import redis

    sessions = redis.Redis.from_url(shared_env()["REDIS_URL"]).keys("*cached_db*")
    assert sessions, "no session in Redis"


def test_a_comment_is_the_authors_at_once_and_everyones_once_replayed(
    archive: dict[str, Any], reader: Visitor, replay_paused: Callable[[], None]
) -> None:
    full = f"/works/{archive['work_id']}/full/"
    posted = reader.post(
        f"/works/{archive['work_id']}/comments/", {"body": "Low tide, high hopes."}
    )
    assert posted.status == 302
    assert reader.cookie("fanfold_wrote") is not None  # the router's read-your-writes cookie
    assert "Low tide, high hopes." in reader.get(full).body  # from the primary
    assert "Low tide, high hopes." not in Visitor().get(full).body  # from the paused replica
    replay_paused()
    assert "Low tide, high hopes." in Visitor().get(full).body


def test_kudos_are_counted_for_their_giver_at_once_and_for_others_once_replayed(
    archive: dict[str, Any], reader: Visitor, replay_paused: Callable[[], None]
) -> None:
    page = f"/works/{archive['work_id']}/"
    assert reader.post(f"{page}kudos/", {}).status == 302
    assert READER in kudos_of(reader.get(page))  # the kudos line names its givers
    assert READER not in kudos_of(Visitor().get(page))
    replay_paused()
    assert READER in kudos_of(Visitor().get(page))


def kudos_of(page: Answer) -> str:
    """The kudos box of a work page: the comments below it name their writers too."""
    found = re.search(r'id="kudos".*?</section>', page.body, re.DOTALL)
    assert found, page.body[-2000:]
    return found.group(0)


def test_strangers_pages_are_read_from_the_replica(archive: dict[str, Any]) -> None:
    replica = shared_env()["DATABASE_REPLICA_URL"]
    commits = "SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'"
    before = one(replica, commits)
    for n in range(20):
        assert Visitor().get(f"/works/{archive['work_id']}/?replica={n}").status == 200
    # Statistics reach the view within a second or so; each poll is a transaction of its own.
    polls = iter(range(1, 10_000))
    grown = until(
        "the replica counts the pages' transactions",
        lambda: (g := one(replica, commits) - before - next(polls)) >= 20 and g,
    )
    app_connections = one(
        replica,
        "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
        " AND pid <> pg_backend_pid()",
    )
    assert app_connections > 0
    print(f"replica: {grown} more transactions for 20 pages, {app_connections} app connections")


def test_a_queued_reading_job_is_run_by_the_worker_machine(archive: dict[str, Any]) -> None:
    primary = shared_env()["DATABASE_URL"]
    state = f"SELECT state FROM insights_workanalysis WHERE work_id = {archive['work_id']}"
    assert until("the worker reads the imported work", lambda: one(primary, state) == "done", 60)
    # The app machines run no task workers (--task-workers 0): the worker machine ran it.
    assert "analyse_work_task state=SUCCESSFUL" in (STATE / "worker.log").read_text()


def test_nginx_refuses_a_body_over_24_mb_itself() -> None:
    trusted = ssl.create_default_context(cafile=str(STATE / "nginx" / "cert.pem"))
    request = (
        f"POST /works/import/ HTTP/1.1\r\nHost: 127.0.0.1:{PORT}\r\n"
        f"Content-Length: {24 * 1024 * 1024 + 1}\r\nConnection: close\r\n\r\n"
    )
    with (
        socket.create_connection(("127.0.0.1", PORT), timeout=10) as raw,
        trusted.wrap_socket(raw, server_hostname="127.0.0.1") as tls,
    ):
        tls.sendall(request.encode())
        answer = tls.recv(4096).decode(errors="replace")
    assert answer.startswith("HTTP/1.1 413 ")
    assert "Server: nginx" in answer
    assert "at most 24 MB" not in answer  # not Fanfold's own 413: no app machine saw it


def test_static_files_are_served_by_nginx_hashed_gzipped_and_immutable() -> None:
    home = Visitor().get("/")
    stylesheet = re.search(r"/static/fanfold/site\.[0-9a-f]{12}\.css", home.body)
    assert stylesheet, "the page names no hashed stylesheet"
    css = Visitor().get(stylesheet.group(0), **{"Accept-Encoding": "gzip"})
    assert css.status == 200
    assert css.headers["Content-Encoding"] == "gzip"
    assert css.headers["Cache-Control"] == "public, max-age=315360000, immutable"
    assert css.headers["Server"].startswith("nginx")
    assert sum(answered_by(stylesheet.group(0)).values()) == 0  # nginx's own file, not proxied


def test_plain_http_is_redirected_and_https_is_strict() -> None:
    plain = http.client.HTTPConnection("127.0.0.1", PORT + 1, timeout=10)
    try:
        plain.request("GET", "/works/")
        answer = plain.getresponse()
        assert answer.status == 301
        assert answer.getheader("Location") == f"{BASE}/works/"
    finally:
        plain.close()
    hsts = Visitor().get("/").headers["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains; preload"


def test_workers_killed_behind_nginx_cost_readers_no_page() -> None:
    """A GET whose worker dies is passed by nginx to the other app machine (proxy_next_upstream).

    Workers of the first app machine are killed one at a time, while readers list
    works, until nginx has logged a request cut off in a worker (at most 20 kills).
    """
    master = int((STATE / "app1.pid").read_text())
    error_log = STATE / "nginx" / "error.log"
    logged_before = error_log.stat().st_size

    def cut_off() -> int:
        with error_log.open() as log:
            log.seek(logged_before)
            return sum("prematurely closed connection" in line for line in log)

    statuses: list[int] = []
    stop = threading.Event()

    def read_listings(reader: int) -> None:
        visitor = Visitor()
        for n in itertools.count():
            if stop.is_set():
                return
            statuses.append(visitor.get(f"/works/?q=tide{reader}x{n}").status)  # uncached

    readers = [threading.Thread(target=read_listings, args=(n,)) for n in range(4)]
    for reader in readers:
        reader.start()
    kills = 0
    try:
        while kills < 20 and not cut_off():
            kills += len(kill_workers(master, statuses, kills=1))
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=60)
    print(f"{len(statuses)} listings, {kills} workers killed, {cut_off()} requests cut off")
    assert cut_off() > 0, "no kill landed on a request in flight"
    assert set(statuses) == {200}
