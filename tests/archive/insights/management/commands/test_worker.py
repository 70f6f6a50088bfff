"""``fanfold worker`` for real: its own process, its own archive on disk."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from fanfold.archive.insights.management.commands.worker import Command
from tests.conftest import SEEDS

FANFOLD = str(Path(os.sys.executable).with_name("fanfold"))


def test_worker_takes_every_queue_and_never_reloads_by_default() -> None:
    parser = Command().create_parser("fanfold", "worker")
    options = parser.parse_args([])
    assert (options.queue_name, options.reload) == ("*", False)


@pytest.mark.seeds
def test_an_imported_work_is_read_by_a_worker_process(tmp_path: Path) -> None:
    env = {**os.environ, "FANFOLD_DATA_DIR": str(tmp_path), "FANFOLD_SECRET_KEY": "x"}
    env.pop("DATABASE_URL", None)  # an SQLite archive of its own, shared by the processes below

    def fanfold(*args: str) -> str:
        return subprocess.run(
            [FANFOLD, *args], env=env, check=True, capture_output=True, text=True, timeout=300
        ).stdout

    fanfold("migrate", "--noinput", "-v", "0")
    fanfold("createsuperuser", "--noinput", "--username", "ada", "--email", "ada@example.org")
    fanfold("import", "--as", "ada", *map(str, sorted(SEEDS.glob("*.txt"))))
    fanfold("worker", "--batch", "--no-startup-delay")
    report = fanfold(
        "shell",
        "-c",
        "import json; from fanfold.archive.insights.models import WorkAnalysis as A;"
        " a = A.objects.get(); print(json.dumps([a.state, [c['name'] for c in a.cast],"
        " a.chapters.count()]))",
    )
    state, names, chapters = json.loads(report.strip().splitlines()[-1])
    assert state == "done"
    assert chapters == 2
    assert {"Mark Sloan", "Lexie Grey", "Sloan", "Derek"} <= set(names)
