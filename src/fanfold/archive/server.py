"""``fanfold serve``: the archive under gunicorn, a production WSGI server.

Static files are served by WhiteNoise from inside the app, so one process
tree serves everything; put nginx or Caddy in front for TLS.

Workers default to 2 x cores + 1 (gunicorn's advice), or ``FANFOLD_WORKERS``;
SQLite in WAL mode copes with that many readers and serialises writers.

Limits, so one client cannot hold or swamp a worker: a request line of at
most 8 KB (long search filters fit), 100 headers of 8 KB each, a body of at
most ``MAX_REQUEST_BYTES`` (refused with 413 before it is read), and a worker
that spends ``FANFOLD_TIMEOUT`` seconds (30) on one request is restarted.
gunicorn's sync workers read a request from the client themselves, so a
slow client ties a worker up until the timeout: in production nginx stands in
front and buffers whole requests and responses (docs/deploy.md), and the
workers only ever talk to it.

``--task-workers N`` also starts N ``fanfold worker`` processes for the
background jobs (reading works' text) and stops them with the server: one
machine, one command (``make run`` starts one). On several machines, run
``fanfold worker`` wherever you like instead.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from typing import Any

from gunicorn.app.base import BaseApplication

from fanfold.archive.env import env_int


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        # gunicorn 27's control socket has one default path per user, so a second
        # `fanfold serve` on the machine (a test, a benchmark, another archive)
        # would take it over; Fanfold manages its servers by signals instead.
        if "control_socket_disable" in self.cfg.settings:
            self.cfg.set("control_socket_disable", True)

    def load(self) -> Any:
        from fanfold.archive.wsgi import application

        return refuse_large_bodies(application)


# The largest request the archive accepts: an import of 20 MB of files
# (formats.safety.MAX_FILE_BYTES for all of them) with its form around it.
# Forms without files stop at settings.DATA_UPLOAD_MAX_MEMORY_SIZE (8 MB) in Django.
MAX_REQUEST_BYTES = 24 * 1024 * 1024
_TOO_LARGE = b"Request too large: at most 24 MB may be sent at once.\n"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def refuse_large_bodies(app: WSGIApp, limit: int = MAX_REQUEST_BYTES) -> WSGIApp:
    """Answer 413 to a request declaring a body over ``limit``, without reading it.

    >>> seen = []
    >>> def app(environ, start_response):
    ...     start_response("200 OK", [])
    ...     return [b"ok"]
    >>> guarded = refuse_large_bodies(app, limit=10)
    >>> guarded({"CONTENT_LENGTH": "11"}, lambda status, headers: seen.append(status))
    [b'Request too large: at most 24 MB may be sent at once.\\n']
    >>> guarded({"CONTENT_LENGTH": "10"}, lambda status, headers: seen.append(status))
    [b'ok']
    >>> seen
    ['413 Content Too Large', '200 OK']
    """

    def guarded(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        declared = str(environ.get("CONTENT_LENGTH") or "0")
        if declared.isdigit() and int(declared) > limit:
            start_response(
                "413 Content Too Large",
                [
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Length", str(len(_TOO_LARGE))),
                    ("Connection", "close"),
                ],
            )
            return [_TOO_LARGE]
        return app(environ, start_response)

    return guarded


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fanfold serve", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bind", default="127.0.0.1:8000", help="address:port (default %(default)s)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=env_int("FANFOLD_WORKERS", default=multiprocessing.cpu_count() * 2 + 1, minimum=1),
        help="worker processes (default FANFOLD_WORKERS, or 2 x cores + 1: %(default)s)",
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument(
        "--timeout",
        type=int,
        default=env_int("FANFOLD_TIMEOUT", default=30, minimum=1),
        help="seconds one request may take before its worker is restarted (%(default)s)",
    )
    parser.add_argument("--access-log", action="store_true", help="log every request to stderr")
    parser.add_argument(
        "--task-workers",
        type=int,
        default=0,
        help="background job workers to start beside the server (default %(default)s)",
    )
    return parser.parse_args(argv)


def serve(argv: list[str]) -> int:
    args = parse_args(argv)
    options: dict[str, Any] = {
        "bind": args.bind,
        "workers": args.workers,
        "threads": args.threads,
        "timeout": args.timeout,
        "graceful_timeout": 10,
        "preload_app": True,
        "accesslog": "-" if args.access_log else None,
        "limit_request_line": 8190,  # gunicorn's largest; its default 4094 cuts long filters
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        "proc_name": "fanfold",
    }
    workers = [_start_task_worker() for _ in range(max(args.task_workers, 0))]
    try:
        _Gunicorn(options).run()
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    return 0


def _start_task_worker() -> subprocess.Popen[bytes]:
    """``fanfold worker`` in its own process, with this process's settings."""
    return subprocess.Popen(
        [sys.executable, "-m", "fanfold.cli", "worker", "--verbosity", "1"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "fanfold.archive.settings"},
    )
