"""Suite-wide settings: every test gets a private data directory."""

from __future__ import annotations

import os
import tempfile

# Settings read FANFOLD_DATA_DIR at import; keep tests out of ./var.
os.environ.setdefault("FANFOLD_DATA_DIR", tempfile.mkdtemp(prefix="fanfold-test-"))
os.environ.setdefault("FANFOLD_SECRET_KEY", "test-secret-key-not-for-production")

REQUIRE_ALL = os.environ.get("FANFOLD_REQUIRE_ALL") == "1"
# Playwright's sync API runs an event loop in the test thread; Django's ORM
# must still be usable there (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "1")
