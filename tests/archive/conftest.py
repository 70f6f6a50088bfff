"""The personas of the archive's tests: the author, a reader, a stranger, an admin."""

from __future__ import annotations

import pytest
from django.test import Client
from tests.archive.factories import UserFactory

from fanfold.archive.people.models import User


@pytest.fixture
def author(db: None) -> User:
    return UserFactory(username="author")


@pytest.fixture
def reader(db: None) -> User:
    return UserFactory(username="reader")


@pytest.fixture
def admin(db: None) -> User:
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def as_author(author: User) -> Client:
    client = Client()
    client.force_login(author)
    return client


@pytest.fixture
def as_reader(reader: User) -> Client:
    client = Client()
    client.force_login(reader)
    return client


@pytest.fixture
def as_admin(admin: User) -> Client:
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def as_stranger(db: None) -> Client:
    """Someone who is not logged in."""
    return Client()
