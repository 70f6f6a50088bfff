"""The benchmarks still run: a generator that fails is found by the suite, not by the next
person who needs its figures (``bench.corpus`` failed for a session on a new NOT NULL column)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.sqlite  # the generator writes its own SQLite file


def _bench(*args: str, data_dir: Path) -> str:
    env = {
        **os.environ,
        "FANFOLD_DATA_DIR": str(data_dir),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_corpus_generator_makes_what_index_works_would(tmp_path: Path) -> None:
    made = _bench("bench.corpus", "--works", "300", "--with-text", data_dir=tmp_path)
    assert "300 works" in made
    checked = _bench("bench.corpus", "--check", data_dir=tmp_path)
    assert "the same as index_works" in checked
