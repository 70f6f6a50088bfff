"""How many times an account, or a guest's address, did something in a window.

Counted in the cache (one key per actor and scope, expiring with the window);
a guest's address is kept only as a keyed hash. Comments and reports use it.

>>> from django.core.cache import cache
>>> cache.clear()
>>> [within_limit("doc", user=None, address="203.0.113.9", limit=2, window=60) for _ in range(3)]
[True, True, False]
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.core.cache import cache


def _key(scope: str, user: Any, address: str) -> str:
    if user is not None:
        return f"{scope}:user:{user.pk}"
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return f"{scope}:guest:{digest.hexdigest()}"


def within_limit(scope: str, *, user: Any, address: str, limit: int, window: int) -> bool:
    """Count one more action of ``user`` (or, for a guest, ``address``); False past ``limit``."""
    key = _key(scope, user, address)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return bool(count <= limit)
