"""`fanfold serve` runs the archive under gunicorn, a real server on a real port."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

FANFOLD = str(Path(sys.executable).with_name("fanfold"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, attempts: int = 100) -> tuple[int, dict[str, str], str]:
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, dict(response.headers), response.read().decode()
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answered at {url}")


def _raw(port: int, request: str) -> str:
    """The status line and headers a raw HTTP request gets back."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request.encode())
        return connection.recv(4096).decode(errors="replace")


@pytest.mark.slow
def test_fanfold_serve_answers_with_the_archive_and_its_static_files(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "FANFOLD_DATA_DIR": str(tmp_path),
        "FANFOLD_SECRET_KEY": "serve-test",
    }
    env.pop("DATABASE_URL", None)  # a fresh SQLite archive of its own
    subprocess.run([FANFOLD, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    port = _free_port()
    server = subprocess.Popen(
        [FANFOLD, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        status, headers, page = _get(f"http://127.0.0.1:{port}/")
        assert status == 200
        assert "Recently updated" in page
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        status, headers, css = _get(f"http://127.0.0.1:{port}/static/fanfold/site.css")
        assert status == 200
        assert "--measure" in css
        # A body too large is refused before it is sent; so is a monstrous request line.
        declared = (
            "POST /works/import/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 30000000\r\n\r\n"
        )
        assert _raw(port, declared).startswith("HTTP/1.1 413 ")
        assert _raw(port, f"GET /?q={'a' * 9000} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").startswith(
            "HTTP/1.1 414 "
        )
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    assert "Booting worker" in output or "Listening at" in output
    assert (tmp_path / "fanfold.sqlite3").exists()


def test_fanfold_without_a_command_prints_its_usage() -> None:
    result = subprocess.run([FANFOLD], capture_output=True, text=True, check=True)
    assert "analyse FILE..." in result.stdout
    assert "serve" in result.stdout


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("FANFOLD_DEBUG", "ture", "FANFOLD_DEBUG='ture' is not a boolean"),
        ("FANFOLD_HSTS_SECONDS", "a year", "is not a whole number"),
    ],
)
def test_a_bad_setting_stops_start_up_with_a_message_naming_it(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    env = {**os.environ, "FANFOLD_DATA_DIR": str(tmp_path), name: value, "FANFOLD_HTTPS": "1"}
    result = subprocess.run([FANFOLD, "check"], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.slow
def test_fanfold_serve_starts_a_task_worker_that_reads_what_is_posted(tmp_path: Path) -> None:
    env = {**os.environ, "FANFOLD_DATA_DIR": str(tmp_path), "FANFOLD_SECRET_KEY": "serve-test"}
    env.pop("DATABASE_URL", None)
    subprocess.run([FANFOLD, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    chapter = tmp_path / "one.txt"
    chapter.write_text('"Morning," Ada said.\n\n"Is it?" Brin asked.\n\n"It is," said Ada.\n')
    port = _free_port()
    server = subprocess.Popen(
        [FANFOLD, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--task-workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        subprocess.run(
            [FANFOLD, "createsuperuser", "--noinput", "--username", "ada", "--email", "a@b.org"],
            env=env,
            check=True,
        )
        subprocess.run([FANFOLD, "import", "--as", "ada", str(chapter)], env=env, check=True)
        assert _wait_for_state(tmp_path / "fanfold.sqlite3", "done") == "done"
    finally:
        server.terminate()
        output = server.communicate(timeout=60)[0].decode()
    assert "Starting worker" in output


def _wait_for_state(database: Path, wanted: str, seconds: float = 60) -> str | None:
    deadline = time.monotonic() + seconds
    state = None
    while time.monotonic() < deadline:
        with sqlite3.connect(database) as connection:
            row = connection.execute("SELECT state FROM insights_workanalysis").fetchone()
        state = row[0] if row else None
        if state == wanted:
            break
        time.sleep(0.2)
    return state


PG_CLUSTER = Path(__file__).resolve().parents[2] / "tools" / "pg-cluster"


def _status(url: str, wait: float = 0) -> tuple[int, dict[str, str]]:
    """The status and headers of one GET, whatever the status; up to ``wait``
    seconds for a server that is still starting to listen."""
    deadline = time.monotonic() + wait
    while True:
        try:
            return _one_status(url)
        except urllib.error.URLError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _one_status(url: str) -> tuple[int, dict[str, str]]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.mark.slow
def test_a_database_restart_gives_503s_and_fanfold_recovers_without_a_restart(
    tmp_path: Path,
) -> None:
    if os.environ.get("DATABASE_URL"):
        pytest.skip("runs once, in the SQLite pass: it starts and stops its own PostgreSQL")
    cluster = {
        **os.environ,
        # Not under tmp_path: as root the server runs as postgres, who cannot enter it.
        "FANFOLD_PG_STATE": str(Path(tempfile.gettempdir()) / f"fanfold-pg-restart-{os.getpid()}"),
        "FANFOLD_PG_PORT": str(_free_port()),
    }
    started = subprocess.run(
        ["bash", str(PG_CLUSTER), "start"], env=cluster, capture_output=True, text=True
    )
    if started.returncode != 0:
        if os.environ.get("FANFOLD_REQUIRE_ALL") == "1":
            pytest.fail(f"PostgreSQL could not be started: {started.stderr}")
        pytest.skip("no PostgreSQL server binaries")
    env = {
        **os.environ,
        "FANFOLD_DATA_DIR": str(tmp_path / "data"),
        "FANFOLD_SECRET_KEY": "restart-test",
        "DATABASE_URL": started.stdout.strip(),
    }
    port = _free_port()
    home = f"http://127.0.0.1:{port}/"
    server = None
    log = (tmp_path / "server.log").open("wb")
    try:
        subprocess.run([FANFOLD, "migrate", "--noinput", "-v", "0"], env=env, check=True)
        server = subprocess.Popen(
            [FANFOLD, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        assert _status(home, wait=120)[0] == 200
        subprocess.run(["bash", str(PG_CLUSTER), "pause"], env=cluster, check=True)
        for _ in range(3):
            status, headers = _status(home)
            assert status == 503
            assert headers["Retry-After"] == "10"
        subprocess.run(
            ["bash", str(PG_CLUSTER), "resume"], env=cluster, check=True, capture_output=True
        )
        # The pool reconnects in the background (with a backoff): until it has,
        # answers stay clean 503s; then pages, with no restart of Fanfold.
        recovering = [_status(home)[0]]
        deadline = time.monotonic() + 60
        while recovering[-1] != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
            recovering.append(_status(home)[0])
        assert recovering[-1] == 200, recovering
        assert set(recovering) <= {503, 200}, recovering
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        log.close()
        subprocess.run(["bash", str(PG_CLUSTER), "stop"], env=cluster, check=False)


def test_workers_come_from_the_cores_unless_fanfold_workers_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import multiprocessing

    from fanfold.archive.server import parse_args

    monkeypatch.delenv("FANFOLD_WORKERS", raising=False)
    monkeypatch.delenv("FANFOLD_TIMEOUT", raising=False)
    assert parse_args([]).workers == multiprocessing.cpu_count() * 2 + 1
    assert parse_args([]).timeout == 30
    monkeypatch.setenv("FANFOLD_WORKERS", "12")
    monkeypatch.setenv("FANFOLD_TIMEOUT", "20")
    assert (parse_args([]).workers, parse_args([]).timeout) == (12, 20)
    assert parse_args(["--workers", "3"]).workers == 3  # the command line wins


def test_a_body_over_the_limit_is_refused_unread_and_others_pass() -> None:
    from django.test import RequestFactory

    from fanfold.archive.server import MAX_REQUEST_BYTES, _Gunicorn

    application = _Gunicorn.load(object.__new__(_Gunicorn))
    statuses: list[str] = []
    environ = RequestFactory().get("/").environ
    too_large = {**environ, "REQUEST_METHOD": "POST", "CONTENT_LENGTH": str(MAX_REQUEST_BYTES + 1)}
    body = b"".join(application(too_large, lambda status, headers: statuses.append(status)))
    assert statuses == ["413 Content Too Large"]
    assert b"at most 24 MB" in body
