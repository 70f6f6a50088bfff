"""Suite-wide test settings.

The data directory cannot be chosen here: pytest-django imports the settings
before any conftest runs. ``tools/run-tests`` (``make test``) points
``FANFOLD_DATA_DIR`` at a fresh temporary directory; tests that write files
override ``settings.DATA_DIR`` with their own ``tmp_path``.
"""

from __future__ import annotations

import os
from pathlib import Path

REQUIRE_ALL = os.environ.get("FANFOLD_REQUIRE_ALL") == "1"

# The two real chapters in ../shared (read in place, never copied into the repository).
SEEDS = Path(__file__).resolve().parents[1] / ".." / "shared" / "seeds"

# Playwright's sync API runs an event loop in the test thread; Django's ORM
# must still be usable there (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
