"""Counting actions per account, or per guest address, in a window."""

from __future__ import annotations

from django.core.cache import cache

from fanfold.archive.ratelimits import within_limit
from tests.archive.factories import UserFactory


def test_an_account_and_a_guest_address_are_counted_apart_per_scope(db: None) -> None:
    cache.clear()
    reader = UserFactory(username="counted")
    counts = [
        within_limit("test", user=reader, address="10.0.0.1", limit=1, window=60) for _ in range(2)
    ]
    assert counts == [True, False]
    assert within_limit("test", user=None, address="10.0.0.1", limit=1, window=60)
    assert within_limit("other", user=reader, address="10.0.0.1", limit=1, window=60)
    assert not any("10.0.0.1" in str(key) for key in cache._cache)  # type: ignore[attr-defined]
