"""The reading app, and what it hears from the apps below it."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import pre_delete


class ReadingConfig(AppConfig):
    name = "fanfold.archive.reading"
    label = "reading"
    verbose_name = "Readers' side: kudos and bookmarks"

    def ready(self) -> None:
        from fanfold.archive.people.models import User

        pre_delete.connect(_account_deleted, sender=User, dispatch_uid="reading_account_deleted")


def _account_deleted(sender: type, instance: Any, **kwargs: Any) -> None:
    """An account is being deleted: its bookmarks leave the works' counts first."""
    from fanfold.archive.reading.services import forget_bookmarks_of

    forget_bookmarks_of(user=instance)
