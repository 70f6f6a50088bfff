"""Accounts, and what a reader chooses not to see (muted authors, hidden tags).

Mutes and hidden tags are applied inside listing queries (see
``fanfold.archive.search.selectors``), so counts and pages leave them out
too, unlike AO3's after-the-fact CSS hiding.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from fanfold.archive.tags.models import Tag


class User(AbstractUser):
    """An archive account; ``username`` is the name shown on works."""

    bio = models.TextField(blank=True, max_length=5000)

    def __str__(self) -> str:
        return self.username


class Mute(models.Model):
    """``user`` no longer sees ``muted``'s works in listings and searches."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mutes")
    muted = models.ForeignKey(User, on_delete=models.CASCADE, related_name="muted_by")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "muted"], name="mute_once")]

    def __str__(self) -> str:
        return f"{self.user_id} mutes {self.muted_id}"


class HiddenTag(models.Model):
    """``user`` no longer sees works a filter on ``tag`` would find."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="hidden_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="hide_tag_once")]

    def __str__(self) -> str:
        return f"{self.user_id} hides tag {self.tag_id}"
