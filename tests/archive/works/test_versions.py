"""A work's version moves with everything a stranger sees on its pages, and only then."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from fanfold.archive.comments import services as comments
from fanfold.archive.insights import services as insights
from fanfold.archive.moderation import services as moderation
from fanfold.archive.people.models import User
from fanfold.archive.reading import hits
from fanfold.archive.reading import services as reading
from fanfold.archive.reading.models import Bookmark
from fanfold.archive.reading.services import BookmarkFields
from fanfold.archive.tags import services as tags
from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.works import services, versions
from fanfold.archive.works.models import CommentPermission, Work
from tests.archive.factories import UserFactory, make_work


@dataclass
class Scene:
    """A posted two-chapter work open to guests' comments, its author, a reader and an admin."""

    work: Work
    author: User
    reader: User
    admin: User


def _fields(work: Work, **changes: Any) -> services.WorkFields:
    return services.WorkFields(
        title=changes.get("title", work.title),
        rating=work.rating,
        comment_permission=CommentPermission.EVERYONE,
        tags={TagType.FANDOM: ["Pride and Prejudice - Jane Austen"]},
    )


def _comment(s: Scene) -> Any:
    return comments.post_comment(work=s.work, body="Lovely.", user=s.reader)


def _wrangle(s: Scene) -> None:
    s.admin.user_permissions.add(Permission.objects.get(codename="wrangle_tag"))
    wrangler = User.objects.get(pk=s.admin.pk)  # permissions are cached on the instance
    fandom = Tag.objects.get(name="Pride and Prejudice - Jane Austen")
    canonical = Tag.objects.create(name="Pride & Prejudice", type=TagType.FANDOM)
    tags.make_synonym(tag=fandom, of=canonical, by=wrangler)


def _series_mate_posted(s: Scene) -> None:
    series = services.create_series(owner=s.author, title="Letters")
    services.join_series(work=s.work, by=s.author, series=series)
    mate = make_work(owner=s.author, title="Second", post=False)
    services.join_series(work=mate, by=s.author, series=series)
    s.work.refresh_from_db()
    before = s.work.version
    services.post_work(work=mate, by=s.author)  # this work's page now links to it
    s.work.refresh_from_db()
    assert s.work.version > before


def _post_draft_chapter(s: Scene) -> None:
    fields = services.ChapterFields(body="A chapter kept back a while.")
    chapter = services.add_chapter(work=s.work, by=s.author, fields=fields, post=False)
    s.work.refresh_from_db()
    before = s.work.version
    services.post_chapter(chapter=chapter, by=s.author)
    s.work.refresh_from_db()
    assert s.work.version > before


def _bookmark(s: Scene) -> None:
    reading.save_bookmark(user=s.reader, work=s.work, fields=BookmarkFields(notes="Good."))


def _unbookmark(s: Scene) -> None:
    bookmark = Bookmark.objects.get(user=s.reader, work=s.work)
    reading.delete_bookmark(bookmark=bookmark, by=s.reader)


# Each way a stranger's view of a work changes; setup runs first and may move it too.
CHANGES: list[tuple[str, Callable[[Scene], Any], Callable[[Scene], Any] | None]] = [
    ("title edited", lambda s: services.update_work(
        work=s.work, by=s.author, fields=_fields(s.work, title="Evening")), None),
    ("chapter added", lambda s: services.add_chapter(
        work=s.work, by=s.author, fields=services.ChapterFields(body="More, and more."),
        post=True), None),
    ("chapter edited", lambda s: services.update_chapter(
        chapter=s.work.chapters.first(), by=s.author,
        fields=services.ChapterFields(body="Rewritten, all of it.")), None),
    ("draft chapter posted", _post_draft_chapter, None),
    ("chapter deleted", lambda s: services.delete_chapter(
        chapter=s.work.chapters.last(), by=s.author), None),
    ("chapters reordered", lambda s: services.reorder_chapters(
        work=s.work, by=s.author,
        chapter_ids=list(reversed(s.work.chapters.values_list("pk", flat=True)))), None),
    ("tag added", lambda s: services.add_tag(
        work=s.work, by=s.author, tag_type=TagType.FREEFORM, name="Letters"), None),
    ("tag wrangled", _wrangle, None),
    ("hidden by an admin", lambda s: services.set_work_hidden(
        work=s.work, by=s.admin, hidden=True), None),
    ("hidden by a moderator", lambda s: moderation.set_work_hidden(
        work=s.work, by=s.admin, reason="Spam", hidden=True), None),
    ("joined a series", lambda s: services.join_series(
        work=s.work, by=s.author, series=services.create_series(owner=s.author, title="S")),
        None),
    ("series renamed", lambda s: services.update_series(
        series=s.work.series.get(), by=s.author, title="Renamed"),
        lambda s: services.join_series(
            work=s.work, by=s.author, series=services.create_series(owner=s.author, title="S"))),
    ("series deleted", lambda s: services.delete_series(
        series=s.work.series.get(), by=s.author),
        lambda s: services.join_series(
            work=s.work, by=s.author, series=services.create_series(owner=s.author, title="S"))),
    ("series neighbour posted", _series_mate_posted, None),
    ("kudos left", lambda s: reading.leave_kudos(work=s.work, user=s.reader), None),
    ("kudos gone with an account", lambda s: s.reader.delete(),
        lambda s: reading.leave_kudos(work=s.work, user=s.reader)),
    ("bookmarked", _bookmark, None),
    ("bookmark deleted", _unbookmark, _bookmark),
    ("comment posted", _comment, None),
    ("comment edited", lambda s: comments.edit_comment(
        comment=s.work.comments.get(), by=s.reader, body="Lovely, truly."), _comment),
    ("comment deleted", lambda s: comments.delete_comment(
        comment=s.work.comments.get(), by=s.reader), _comment),
    ("comment hidden", lambda s: moderation.set_comment_hidden(
        comment=s.work.comments.get(), by=s.admin, reason="Rude", hidden=True), _comment),
    ("thread frozen", lambda s: comments.set_thread_frozen(
        comment=s.work.comments.get(), by=s.author, frozen=True), _comment),
    ("its reading forgotten", lambda s: insights.forget_analysis(work_id=s.work.pk), None),
]  # fmt: skip


@pytest.fixture
def scene(author: User, reader: User, admin: User) -> Scene:
    work = make_work(owner=author, chapters=2, comment_permission=CommentPermission.EVERYONE)
    return Scene(work=work, author=author, reader=reader, admin=admin)


@pytest.mark.parametrize(
    ("change", "setup"), [(c, s) for _, c, s in CHANGES], ids=[name for name, _, _ in CHANGES]
)
def test_every_change_a_stranger_would_see_moves_the_version(
    scene: Scene, change: Callable[[Scene], Any], setup: Callable[[Scene], Any] | None
) -> None:
    if setup is not None:
        setup(scene)
    before = Work.objects.get(pk=scene.work.pk).version
    scene.work.refresh_from_db()
    change(scene)
    assert Work.objects.get(pk=scene.work.pk).version > before


def test_reading_a_page_moves_nothing(scene: Scene, as_stranger: Client, as_reader: Client) -> None:
    before = Work.objects.get(pk=scene.work.pk).version
    first = scene.work.chapters.first()
    assert first is not None
    for client in (as_stranger, as_reader):
        client.get(reverse("works:work", args=[scene.work.pk]))
        client.get(reverse("works:chapter", args=[scene.work.pk, first.pk]))
        client.get(reverse("works:full", args=[scene.work.pk]))
    assert Work.objects.get(pk=scene.work.pk).version == before


def test_writing_hits_moves_no_version(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    # Not in the table above: no page shows a hit count, so a popular work's pages
    # (and the listings) are not rendered again once a minute per process for them.
    # A listing ordered by hits follows them by the clock (pagecache.listing_version).
    before = (Work.objects.get(pk=scene.work.pk).version, versions.listings_version())
    hits.BUFFER.record(work_id=scene.work.pk, visitor="g1")
    with django_capture_on_commit_callbacks(execute=True):
        assert hits.flush() == 1
    work = Work.objects.get(pk=scene.work.pk)
    assert work.hit_count == 1
    assert (work.version, versions.listings_version()) == before


def test_a_change_moves_the_listings_version_once_committed(
    scene: Scene, django_capture_on_commit_callbacks: Any
) -> None:
    before = versions.listings_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reading.leave_kudos(work=scene.work, user=scene.reader)
    assert versions.listings_version() == before  # not while the writer's transaction is open
    for callback in callbacks:
        callback()
    assert versions.listings_version() > before


def test_bumping_no_works_still_moves_the_listings(
    db: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert versions.bump([]) == 0
    assert versions.listings_version() == 2


def test_a_works_version_is_none_once_it_is_gone(scene: Scene) -> None:
    assert versions.work_version(scene.work.pk) == scene.work.version
    services.delete_work(work=scene.work, by=scene.author)
    assert versions.work_version(scene.work.pk) is None


def test_a_new_account_moves_nothing(scene: Scene) -> None:
    before = Work.objects.get(pk=scene.work.pk).version
    UserFactory(username="newcomer")
    assert Work.objects.get(pk=scene.work.pk).version == before


def test_the_machines_store_is_culled_but_not_counted_on_every_set(tmp_path: Path) -> None:
    store = versions.MachineCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 6}})
    store.cull_every = 10
    for n in range(9):
        store.set(f"part-{n}", n)
    assert len(list(tmp_path.glob("*.djcache"))) == 9  # not counted yet: over by three
    store.set("part-9", 9)  # the tenth set counts nine, removes three, then writes
    assert len(list(tmp_path.glob("*.djcache"))) == 7
    assert store.get("part-9") == 9
