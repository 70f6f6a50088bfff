"""Moderation's test helpers: a fresh report limit per test, a work and a comment to report."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from fanfold.archive.comments import services as comments
from fanfold.archive.comments.models import Comment
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Work
from tests.archive.factories import make_work


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """The report limit counts in the cache, which outlives a test's database."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def work(author: User) -> Work:
    return make_work(owner=author, title="Salt")


@pytest.fixture
def comment(work: Work, reader: User) -> Comment:
    return comments.post_comment(work=work, body="You are a terrible writer.", user=reader)
