"""The tag wrangler: a member of the "Tag wranglers" group, and nothing more."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from fanfold.archive.people.models import User
from tests.archive.factories import UserFactory


@pytest.fixture
def wrangler(db: None) -> User:
    user = UserFactory(username="wrangler")
    user.groups.add(Group.objects.get(name="Tag wranglers"))
    return user


@pytest.fixture
def as_wrangler(wrangler: User) -> Client:
    client = Client()
    client.force_login(wrangler)
    return client
