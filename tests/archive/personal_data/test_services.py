"""Writes of a person's own data: asking for a download, building it, deleting the account.

``personal_data.services`` promises one waiting download per account and at
most one new one every 15 minutes (a clear refusal otherwise); a build that
replaces the account's older download, files included; and a failed build
recorded as failed, leaving no partial file. Deleting an account, all or
nothing: works orphaned to the one shared "orphan_account" (searchable under
that name) or deleted; comments kept as by "a deleted account"; kudos,
bookmarks and subscriptions gone, the works' counts following; download
files removed.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.db.models.signals import pre_delete
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fanfold.archive.comments.models import Comment
from fanfold.archive.people.models import User
from fanfold.archive.personal_data import services
from fanfold.archive.personal_data.models import DataExport, ExportState
from fanfold.archive.reading.models import Bookmark, Kudos, Subscription
from fanfold.archive.works.models import Series, Work
from tests.archive.factories import UserFactory, make_work
from tests.archive.personal_data.conftest import Shelf

pytestmark = pytest.mark.django_db


def built(user: User) -> DataExport:
    export, _ = services.create_export(user=user)
    result = services.build_export(export_id=export.pk)
    assert result is not None
    return result


def test_a_new_download_replaces_the_old_one_and_its_file(author: User) -> None:
    first = built(author)
    DataExport.objects.filter(pk=first.pk).update(requested_at=timezone.now() - timedelta(hours=1))
    second = built(author)
    assert list(DataExport.objects.filter(user=author)) == [second]
    assert not (Path(settings.DATA_DIR) / first.file).exists()
    assert (Path(settings.DATA_DIR) / second.file).exists()


def test_a_new_download_within_15_minutes_is_refused(author: User) -> None:
    built(author)
    with pytest.raises(ValidationError, match="less than 15 minutes ago"):
        services.create_export(user=author)


def test_a_failed_build_is_recorded_and_leaves_no_file(author: User) -> None:
    export, _ = services.create_export(user=author)
    blocked = services.exports_folder(author.pk)
    blocked.parent.mkdir(parents=True)
    blocked.write_text("a file where the folder should be")  # the disk refuses the zip
    with pytest.raises(FileExistsError):
        services.build_export(export_id=export.pk)
    export.refresh_from_db()
    assert export.state == ExportState.FAILED
    assert [path.name for path in blocked.parent.iterdir()] == [str(author.pk)]


def test_building_twice_builds_once(author: User) -> None:
    export = built(author)
    assert services.build_export(export_id=export.pk) is None


# Deleting an account -------------------------------------------------------------


def test_orphaning_keeps_the_works_under_the_orphan_account(author: User, shelf: Shelf) -> None:
    services.delete_account(user=author, works=services.WorksChoice.ORPHAN)
    orphan = User.objects.get(username="orphan_account")
    assert not orphan.has_usable_password()
    assert set(Work.objects.filter(owner=orphan)) == {shelf.posted, shelf.draft}
    assert Series.objects.get(pk=shelf.series.pk).owner == orphan
    found = Client().get(reverse("search:works"), {"q": "orphan_account"}).content.decode()
    assert "Salt Roads" in found  # the search documents name the new author
    assert not User.objects.filter(username="author").exists()


def test_a_second_deletion_orphans_to_the_same_account(author: User, reader: User) -> None:
    make_work(owner=author, title="First")
    make_work(owner=reader, title="Second")
    services.delete_account(user=author, works=services.WorksChoice.ORPHAN)
    services.delete_account(user=reader, works=services.WorksChoice.ORPHAN)
    assert User.objects.filter(username="orphan_account").count() == 1
    assert Work.objects.filter(owner__username="orphan_account").count() == 2


def test_deleting_removes_the_works_and_keeps_comments_as_a_deleted_account(
    author: User, shelf: Shelf
) -> None:
    services.delete_account(user=author, works=services.WorksChoice.DELETE)
    assert not Work.objects.filter(pk__in=[shelf.posted.pk, shelf.draft.pk]).exists()
    assert not Series.objects.filter(pk=shelf.series.pk).exists()
    comment = Comment.objects.get(pk=shelf.comment.pk)
    assert comment.author_name == "a deleted account"
    assert "I loved the lamp." in comment.body


@pytest.mark.parametrize("choice", list(services.WorksChoice))
def test_the_reading_side_goes_and_the_counts_follow(
    author: User, shelf: Shelf, choice: services.WorksChoice
) -> None:
    theirs = Work.objects.get(pk=shelf.theirs.pk)
    assert (theirs.kudos_count, theirs.bookmark_count) == (1, 1)
    services.delete_account(user=author, works=choice)
    theirs.refresh_from_db()
    assert (theirs.kudos_count, theirs.bookmark_count) == (0, 0)
    assert not Kudos.objects.filter(user_id=author.pk).exists()
    assert not Bookmark.objects.filter(user_id=author.pk).exists()
    assert not Subscription.objects.filter(user_id=author.pk).exists()
    assert theirs.comment_count == 1  # the comment stays


def test_the_download_files_go_once_the_deletion_is_committed(
    author: User, django_capture_on_commit_callbacks: Any
) -> None:
    export = built(author)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_account(user=author, works=services.WorksChoice.DELETE)
    assert not (Path(settings.DATA_DIR) / export.file).exists()


@pytest.mark.parametrize("choice", list(services.WorksChoice))
def test_a_deletion_that_fails_half_way_changes_nothing(
    author: User, shelf: Shelf, choice: services.WorksChoice
) -> None:
    def refuse(sender: type, instance: User, **kwargs: object) -> None:
        raise DatabaseError("the disk failed as the account was being deleted")

    pre_delete.connect(refuse, sender=User, dispatch_uid="test-refuse")
    try:
        with pytest.raises(DatabaseError):
            services.delete_account(user=author, works=choice)
    finally:
        pre_delete.disconnect(dispatch_uid="test-refuse", sender=User)
    assert User.objects.filter(pk=author.pk).exists()
    assert set(Work.objects.filter(owner=author)) == {shelf.posted, shelf.draft}
    assert not User.objects.filter(username="orphan_account").exists()
    assert Kudos.objects.filter(user=author).count() == 2


def test_a_person_holding_the_orphan_name_gets_nobodys_works(author: User) -> None:
    UserFactory(username="orphan_account")  # with a password
    make_work(owner=author)
    with pytest.raises(ValidationError, match="held by a person"):
        services.delete_account(user=author, works=services.WorksChoice.ORPHAN)
    assert Work.objects.filter(owner=author).count() == 1


def test_the_orphan_account_itself_cannot_be_deleted(author: User) -> None:
    make_work(owner=author)
    services.delete_account(user=author, works=services.WorksChoice.ORPHAN)
    orphan = User.objects.get(username="orphan_account")
    with pytest.raises(ValidationError, match="cannot be deleted"):
        services.delete_account(user=orphan, works=services.WorksChoice.DELETE)
