"""The reading app, and what it hears from the apps below it."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models.signals import pre_delete


class ReadingConfig(AppConfig):
    name = "fanfold.archive.reading"
    label = "reading"
    verbose_name = "Readers' side: kudos, bookmarks, subscriptions, history, hits"

    def ready(self) -> None:
        # The works app below tells this one of posts and page views by signals;
        # importing receivers also connects its post_delete counters.
        from fanfold.archive.people.models import User
        from fanfold.archive.reading import receivers
        from fanfold.archive.works import signals

        signals.work_posted.connect(receivers.work_posted, dispatch_uid="reading.work_posted")
        signals.chapter_posted.connect(
            receivers.chapter_posted, dispatch_uid="reading.chapter_posted"
        )
        signals.work_viewed.connect(receivers.work_viewed, dispatch_uid="reading.work_viewed")
        pre_delete.connect(_account_deleted, sender=User, dispatch_uid="reading_account_deleted")


def _account_deleted(sender: type, instance: Any, **kwargs: Any) -> None:
    """An account is being deleted: its bookmarks leave the works' counts first."""
    from fanfold.archive.reading.services import forget_bookmarks_of

    forget_bookmarks_of(user=instance)
