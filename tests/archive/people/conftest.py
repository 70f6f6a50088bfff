"""Each test starts with no emails counted against an address (the cache keeps them)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_email_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()
