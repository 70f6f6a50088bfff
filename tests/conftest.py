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
from pathlib import Path

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

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# must still be usable there (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")


EPUBCHECK = Path("/usr/share/java/epubcheck.jar")


def epubcheck(path: Path) -> subprocess.CompletedProcess[str]:
    """Debian's epubcheck on one book; a skip on a laptop without it, a failure in CI."""
    if not (EPUBCHECK.exists() and shutil.which("java")):
        if REQUIRE_ALL:
            pytest.fail("epubcheck is required (FANFOLD_REQUIRE_ALL=1): apt-get install epubcheck")
        pytest.skip("epubcheck not installed (apt-get install epubcheck default-jre-headless)")
    return subprocess.run(
        ["java", "-jar", str(EPUBCHECK), str(path)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
