"""One file holds the whole archive: its database and the files beside it.

A backup is a gzipped tar with three kinds of member:

- ``manifest.json``: the format, when and by which database it was made,
  the migrations it had, and how many rows each table held;
- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while
  the archive serves) or ``database.pgdump`` (``pg_dump`` in its custom
  format, taken from the same snapshot as the row counts);
- ``files/...``: everything under ``DATA_DIR`` that is not the database or
  something Fanfold makes again by itself (collected static files, cached
  downloads), e.g. the secret key that signs sessions and links.

A restore checks before it changes anything (a readable backup of a known
format, made by this kind of database, by a Fanfold no newer than this one,
an archive that is empty unless ``force``), then swaps the database in whole
(SQLite: a verified copy renamed over the old file; PostgreSQL:
``pg_restore --single-transaction``), migrates it forward, puts the files
back and compares the row counts with the manifest.

Backups hold password hashes and the secret key: keep them as private as the
server itself.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

FORMAT = "fanfold-backup/1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"
FILES_PREFIX = "files/"

# What under DATA_DIR a backup leaves out: the database itself (copied on its
# own, consistently) and what Fanfold rebuilds by itself (collected static files,
# downloads, pages kept whole for nginx and the page and fragment caches).
NOT_BACKED_UP = ("fanfold.sqlite3", "static", "downloads", "pages", "cache")


class BackupError(Exception):
    """A backup or a restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Summary:
    """What a backup holds, or what a restore brought back."""

    path: Path
    vendor: str
    tables: dict[str, int]
    files: list[str] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


# -- making a backup ----------------------------------------------------------


def make_backup(destination: Path) -> Summary:
    """Write a backup of the running archive to ``destination`` (a new file).

    The database is copied while the archive keeps serving: SQLite through its
    online backup API, PostgreSQL through ``pg_dump`` from one snapshot.
    """
    if destination.exists():
        raise BackupError(f"{destination} already exists: choose a new file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="fanfold-backup-") as scratch:
        work = Path(scratch)
        if connection.vendor == "sqlite":
            member, tables = SQLITE_MEMBER, _copy_sqlite(work / SQLITE_MEMBER)
        elif connection.vendor == "postgresql":
            member, tables = POSTGRES_MEMBER, _dump_postgres(work / POSTGRES_MEMBER)
        else:  # pragma: no cover - settings only ever choose these two
            raise BackupError(f"backups of {connection.vendor} databases are not supported")
        files = _data_files()
        names = [name for name, _ in files]
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "vendor": connection.vendor,
            "migrations": _applied_migrations(),
            "tables": tables,
            "files": names,
        }
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2).encode())
            tar.add(work / member, arcname=member)
            for name, path in files:
                tar.add(path, arcname=FILES_PREFIX + name, recursive=False)
        partial.replace(destination)  # a backup that exists is a whole backup
    return Summary(destination, connection.vendor, tables, names)


def _copy_sqlite(target: Path) -> dict[str, int]:
    """A consistent copy of the live SQLite database, and its row counts."""
    connection.ensure_connection()
    live = connection.connection
    assert live is not None
    with contextlib.closing(sqlite3.connect(target)) as copy:
        live.backup(copy)
        return _sqlite_counts(copy)


def _sqlite_counts(database: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
    ]
    return _row_counts(database.cursor(), names)


def _dump_postgres(target: Path) -> dict[str, int]:
    """``pg_dump`` of the database, and row counts from the very same snapshot.

    A repeatable-read transaction exports its snapshot; ``pg_dump --snapshot``
    reads through it, so the counts in the manifest describe exactly the rows
    in the dump even while authors keep posting.
    """
    params = connection.get_connection_params()
    raw = connection.get_new_connection(params)
    try:
        raw.autocommit = False
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = _postgres_counts(cursor)
            _run(
                ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                what="pg_dump",
            )
        raw.rollback()
    finally:
        raw.close()
    return tables


def _postgres_counts(cursor: Any) -> dict[str, int]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    return _row_counts(cursor, [row[0] for row in cursor.fetchall()])


def _row_counts(cursor: Any, tables: list[str]) -> dict[str, int]:
    """Rows per table; the names come from the database's own catalogue, never from a person."""
    counts = {}
    for name in tables:
        cursor.execute(f'SELECT count(*) FROM "{name}"')  # noqa: S608 - a catalogue name, quoted
        counts[name] = cursor.fetchone()[0]
    return counts


def _data_files() -> list[tuple[str, Path]]:
    """Files under DATA_DIR worth keeping, as (name in the backup, path)."""
    root = Path(settings.DATA_DIR)
    kept = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        top = relative.parts[0]
        if top in NOT_BACKED_UP or top.startswith(("fanfold.sqlite3", ".")):
            continue  # the database, its -wal/-shm companions, rebuilt things, hidden scratch
        if path.is_file() and not path.is_symlink():
            kept.append((relative.as_posix(), path))
    return kept


def _applied_migrations() -> dict[str, list[str]]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied: dict[str, list[str]] = {}
    for app, name in sorted(loader.applied_migrations):
        applied.setdefault(app, []).append(name)
    return applied


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


# -- restoring ----------------------------------------------------------------


def restore_backup(source: Path, *, force: bool = False) -> Summary:
    """Bring the archive back from ``source``; everything is checked before anything changes.

    Refuses (with :class:`BackupError`, nothing touched) a file that is not a
    Fanfold backup, one made by the other kind of database or by a newer
    Fanfold, and, unless ``force``, an archive that already has accounts.
    """
    with tempfile.TemporaryDirectory(prefix="fanfold-restore-") as scratch:
        work = Path(scratch)
        manifest = _unpack(source, work)
        _check_restorable(manifest, force=force)
        if manifest["vendor"] == "sqlite":
            _restore_sqlite(work / SQLITE_MEMBER)
        else:
            _restore_postgres(work / POSTGRES_MEMBER)
        tables = _current_counts()  # before migrating: a migration may rightly add rows
        differing = {
            name: (count, tables.get(name))
            for name, count in manifest["tables"].items()
            if tables.get(name) != count
        }
        if differing:
            raise BackupError(
                f"the restored database differs from the backup's manifest: {differing}"
            )
        call_command("migrate", interactive=False, verbosity=0)
        files = _put_files_back(work / "files", manifest["files"])
    return Summary(source, manifest["vendor"], tables, files)


def _unpack(source: Path, work: Path) -> dict[str, Any]:
    """Extract the backup safely (no member leaves ``work``) and read its manifest."""
    try:
        with tarfile.open(source, "r:gz") as tar:
            tar.extractall(work, filter="data")  # refuses absolute paths, '..', devices, links out
    except FileNotFoundError as error:
        raise BackupError(f"{source}: no such file") from error
    except (tarfile.TarError, gzip.BadGzipFile, EOFError, OSError) as error:
        raise BackupError(f"{source} is not a readable Fanfold backup ({error})") from error
    try:
        manifest: dict[str, Any] = json.loads((work / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} has no readable {MANIFEST}: not a Fanfold backup") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{source} is in format {manifest.get('format')!r}; this Fanfold reads {FORMAT}"
        )
    member = SQLITE_MEMBER if manifest.get("vendor") == "sqlite" else POSTGRES_MEMBER
    if not (work / member).is_file():
        raise BackupError(f"{source} has no {member}: the backup is incomplete")
    return manifest


def _check_restorable(manifest: dict[str, Any], *, force: bool) -> None:
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"this backup is of a {manifest['vendor']} archive and this Fanfold uses"
            f" {connection.vendor}: restore it on a {manifest['vendor']} install"
        )
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            "this backup was made by a newer Fanfold (it has migrations this one lacks:"
            f" {', '.join(unknown[:5])}): upgrade Fanfold, then restore"
        )
    if not force and _has_accounts():
        raise BackupError(
            "this archive already has accounts: restore onto a fresh install,"
            " or pass --force to replace everything in it"
        )


def _has_accounts() -> bool:
    tables = connection.introspection.table_names()
    if "people_user" not in tables:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM people_user LIMIT 1")
        return cursor.fetchone() is not None


def _restore_sqlite(copy: Path) -> None:
    """Verify the copy, then rename it over the database in one step."""
    with contextlib.closing(sqlite3.connect(copy)) as database:
        verdict = database.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        raise BackupError(f"the backup's database fails SQLite's integrity check: {verdict}")
    target = Path(settings.DATABASES["default"]["NAME"])
    connection.close()
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(copy, staged)
    for companion in (
        target.with_name(target.name + "-wal"),
        target.with_name(target.name + "-shm"),
    ):
        companion.unlink(missing_ok=True)  # they belong to the database being replaced
    staged.replace(target)


def _restore_postgres(dump: Path) -> None:
    """``pg_restore`` in one transaction: the old tables go and the backup's come, or nothing."""
    connection.close()
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        what="pg_restore",
    )


def _put_files_back(unpacked: Path, names: list[str]) -> list[str]:
    root = Path(settings.DATA_DIR)
    for name in names:
        source = unpacked / name
        if not source.is_file():
            raise BackupError(f"the backup lists {name} but does not hold it")
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        if name == "secret_key":
            target.chmod(0o600)
    return names


def _current_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        return _row_counts(cursor, sorted(connection.introspection.table_names(cursor)))


# -- PostgreSQL's client programs ---------------------------------------------


def _run(command: list[str], *, what: str) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{what} is not installed (Debian: apt-get install postgresql-client)")
    with _postgres_environment() as env:
        result = subprocess.run(  # noqa: S603 - our own fixed argument list
            command, env=env, capture_output=True, text=True, check=False
        )
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.returncode}")


@contextlib.contextmanager
def _postgres_environment() -> Iterator[dict[str, str]]:
    """libpq's variables for the configured database (the password never on a command line)."""
    database = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    yield env
