"""Fixtures of the people app's tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def tasks_at_once(settings: Any) -> None:
    """Queued tasks (the password-reset email) run as they are queued, inside the request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
