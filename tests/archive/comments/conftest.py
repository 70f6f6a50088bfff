"""Comments' test helpers: a fresh rate-limit window per test, a work to comment on."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from fanfold.archive.people.models import User
from fanfold.archive.works.models import CommentPermission, Work
from tests.archive.factories import make_work


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """The rate limit counts in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def work(author: User) -> Work:
    return make_work(owner=author, title="Salt", chapters=2)


def open_to_guests(work: Work, **fields: Any) -> Work:
    Work.objects.filter(pk=work.pk).update(comment_permission=CommentPermission.EVERYONE, **fields)
    work.refresh_from_db()
    return work
