"""A populated archive survives ``fanfold backup`` and ``fanfold restore`` row for row.

The backup is taken in this process from the test database; the restore runs
as its own ``fanfold`` process on a fresh install (a new SQLite data
directory, or a new PostgreSQL database), as an operator would run it. Then
every row of every table is compared.
"""

from __future__ import annotations

import contextlib
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from fanfold.archive.backups.archive import (
    FORMAT,
    BackupError,
    make_backup,
    restore_backup,
)
from fanfold.archive.comments.services import post_comment
from fanfold.archive.people.models import User
from fanfold.archive.reading.services import BookmarkFields, leave_kudos, save_bookmark
from fanfold.archive.works.models import CommentPermission
from tests.archive.conftest import SeparateArchive
from tests.archive.factories import UserFactory, make_work


def populate(data_dir: Path) -> None:
    """Sample works, plus the rows readers add, plus files beside the database."""
    call_command("load_samples", verbosity=0)
    author = UserFactory(username="backed_up_author")
    reader = UserFactory(username="backed_up_reader")
    work = make_work(
        owner=author, title="Kept Safe", chapters=3, comment_permission=CommentPermission.EVERYONE
    )
    make_work(owner=author, title="A Draft Kept Too", post=False)
    post_comment(work=work, body="I read every word.", user=reader)
    post_comment(work=work, body="A guest was here.", guest_name="Wren", address="10.0.0.9")
    leave_kudos(work=work, user=reader)
    save_bookmark(user=reader, work=work, fields=BookmarkFields(notes="<p>mine</p>", tags=("rec",)))
    (data_dir / "secret_key").write_text("a-key-that-signs-sessions")
    (data_dir / "uploads").mkdir(parents=True)
    (data_dir / "uploads" / "cover.png").write_bytes(b"\x89PNG not really")
    (data_dir / "downloads" / "1").mkdir(parents=True)  # rebuilt on demand: left out
    (data_dir / "downloads" / "1" / "kept-safe.epub").write_bytes(b"cache")
    for kept_pages in ("pages/works/1", "cache/pages"):  # pages kept whole: rendered again
        (data_dir / kept_pages).mkdir(parents=True)
        (data_dir / kept_pages / "index.html").write_bytes(b"<p>a kept page</p>")


def rows_by_table(cursor: Any, tables: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    every = {}
    for name in tables:
        cursor.execute(f'SELECT * FROM "{name}"')
        every[name] = sorted(cursor.fetchall(), key=repr)
    return every


def live_rows() -> dict[str, list[tuple[Any, ...]]]:
    with connection.cursor() as cursor:
        return rows_by_table(cursor, sorted(connection.introspection.table_names(cursor)))


def test_a_populated_archive_comes_back_row_for_row_on_a_fresh_install(
    tmp_path: Path, settings: Any, separate_archive: SeparateArchive
) -> None:
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    populate(data_dir)
    backup = tmp_path / "archive.tar.gz"
    summary = make_backup(backup)
    before = live_rows()
    assert all(before[table] for table in ("works_chapter", "comments_comment", "reading_bookmark"))
    assert sorted(summary.files) == ["secret_key", "uploads/cover.png"]

    fresh = separate_archive  # a fresh install, as the operator's new machine
    migrated = fresh.fanfold("migrate", "--noinput", "-v", "0")
    assert migrated.returncode == 0, migrated.stderr
    restored = fresh.fanfold("restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert f"Restored {summary.rows} rows" in restored.stdout

    with contextlib.closing(fresh.connect()) as database:
        after = rows_by_table(database.cursor(), sorted(before))
    restored_dir = fresh.data_dir
    assert after == before
    assert (restored_dir / "secret_key").read_text() == "a-key-that-signs-sessions"
    assert (restored_dir / "uploads" / "cover.png").read_bytes() == b"\x89PNG not really"
    assert not (restored_dir / "downloads").exists()


@pytest.mark.django_db(transaction=True)
def test_a_second_restore_onto_an_archive_with_accounts_needs_force(tmp_path: Path) -> None:
    UserFactory(username="already_here")
    backup = tmp_path / "archive.tar.gz"
    make_backup(backup)
    with pytest.raises(BackupError, match=r"already has accounts.*--force"):
        restore_backup(backup)
    assert User.objects.filter(username="already_here").exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_never_replaces_an_existing_file(tmp_path: Path) -> None:
    existing = tmp_path / "archive.tar.gz"
    existing.write_bytes(b"last week's backup")
    with pytest.raises(BackupError, match="already exists"):
        make_backup(existing)
    assert existing.read_bytes() == b"last week's backup"


def write_backup(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def manifest(**changes: Any) -> bytes:
    fields = {
        "format": FORMAT,
        "vendor": connection.vendor,
        "migrations": {},
        "tables": {},
        "files": [],
    }
    return json.dumps({**fields, **changes}).encode()


def database_member() -> str:
    return "database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({}, "not a readable Fanfold backup"),
        ({"notes.txt": b"hello"}, "no readable manifest.json"),
        ({"manifest.json": manifest(format="other/9")}, "format 'other/9'"),
        ({"manifest.json": manifest()}, "the backup is incomplete"),
        (
            {"manifest.json": manifest(migrations={"works": ["9999_from_the_future"]}), "DB": b""},
            "made by a newer Fanfold",
        ),
        (
            {
                "manifest.json": manifest(vendor="oracle"),
                "database.pgdump": b"",
                "database.sqlite3": b"",
            },
            "this backup is of a oracle archive",
        ),
        ({"../../escaped.txt": b"out", "manifest.json": manifest()}, "not a readable"),
    ],
    ids=["empty", "no-manifest", "other-format", "no-database", "newer", "other-vendor", "escape"],
)
def test_a_file_that_is_not_a_restorable_backup_is_refused_before_anything_changes(
    tmp_path: Path, members: dict[str, bytes], message: str
) -> None:
    UserFactory(username="still_here")
    members = {database_member() if name == "DB" else name: data for name, data in members.items()}
    path = tmp_path / "suspect.tar.gz"
    if members:
        write_backup(path, members)
    else:
        path.write_bytes(b"this is not a tar file at all")
    with pytest.raises(BackupError, match=message):
        restore_backup(path, force=True)
    assert User.objects.filter(username="still_here").exists()
    assert not (tmp_path.parent / "escaped.txt").exists()
