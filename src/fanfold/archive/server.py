"""``fanfold serve``: the archive under gunicorn, a production WSGI server.

Static files are served by WhiteNoise from inside the app, so one process
tree serves everything; put nginx or Caddy in front for TLS.

Workers default to 2 x cores + 1 (gunicorn's advice); SQLite in WAL mode
copes with that many readers and serialises writers.

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
from typing import Any

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from fanfold.archive.wsgi import application

        return application


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fanfold serve", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bind", default="127.0.0.1:8000", help="address:port (default %(default)s)"
    )
    parser.add_argument(
        "--workers", type=int, default=multiprocessing.cpu_count() * 2 + 1, help="worker processes"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument(
        "--timeout", type=int, default=30, help="seconds before a stuck worker is restarted"
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
