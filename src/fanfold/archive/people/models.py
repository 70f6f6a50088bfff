"""Accounts. Pseuds, blocks and mutes will live here too."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """An archive account; ``username`` is the name shown on works."""

    bio = models.TextField(blank=True, max_length=5000)

    def __str__(self) -> str:
        return self.username
