"""``fanfold expire_uploads``: remove imports left waiting longer than a day.

The command promises to remove every upload older than ``KEEP_FOR``,
whoever it belongs to, to keep every younger one, and to say how many it
removed.
"""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from fanfold.archive.people.models import User
from fanfold.archive.works.models import PendingUpload
from fanfold.archive.works.uploads import KEEP_FOR


def expire() -> str:
    out = StringIO()
    call_command("expire_uploads", stdout=out)
    return out.getvalue()


def waiting(owner: User, token: str, age: timedelta) -> None:
    PendingUpload.objects.create(owner=owner, token=token, parsed="{}")
    PendingUpload.objects.filter(token=token).update(created_at=timezone.now() - age)


def test_uploads_older_than_a_day_are_removed_and_counted(author: User, reader: User) -> None:
    waiting(author, "stale-1", KEEP_FOR + timedelta(minutes=1))
    waiting(reader, "stale-2", timedelta(days=30))
    waiting(author, "fresh", KEEP_FOR - timedelta(minutes=1))
    assert expire() == "Removed 2 import(s) left waiting.\n"
    assert list(PendingUpload.objects.values_list("token", flat=True)) == ["fresh"]


def test_with_nothing_stale_nothing_is_removed(author: User) -> None:
    waiting(author, "fresh", timedelta(hours=1))
    assert expire() == "Removed 0 import(s) left waiting.\n"
    assert PendingUpload.objects.count() == 1
