"""SIGKILL in the middle of an import and of a chapter save leaves no partial work.

A ``fanfold`` process of its own imports a three-chapter work, or saves a
chapter through the real edit page, and kills itself (SIGKILL: no cleanup,
no rollback of its own) just before its Nth query, for N spread over every
query the operation makes. After each death the archive is opened again,
as a restarted server would, and checked: the database is intact, every
work has all its chapters or does not exist, a chapter holds one whole
version of its text, and the counts readers see match the chapters.

The kill points come from Django's ``connection.execute_wrapper``, a public
hook around every query: nothing of Fanfold's own is replaced.
"""

from __future__ import annotations

import json
import signal
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.archive.conftest import SeparateArchive, separate_archive_in

# One archive for the module, so its tests run in one xdist worker.
pytestmark = pytest.mark.xdist_group("crash-safety")

CHILD = textwrap.dedent(
    """
    import json, os, re, signal, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.archive.settings")
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from fanfold.archive.people.models import User
    from fanfold.archive.works.models import Chapter, Work

    mode, kill_before, *rest = sys.argv[1:]
    kill_before, queries = int(kill_before), 0

    def die_before_the_chosen_query(execute, sql, params, many, context):
        global queries
        queries += 1
        if queries == kill_before:
            os.kill(os.getpid(), signal.SIGKILL)
        return execute(sql, params, many, context)

    def check():
        report = {"works": []}
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA integrity_check")
                report["integrity"] = cursor.fetchone()[0]
                cursor.execute("PRAGMA foreign_key_check")
                report["foreign_key_errors"] = len(cursor.fetchall())
        def words(chapter):
            return re.sub("<[^>]+>", " ", chapter.body).split()

        for work in Work.objects.order_by("pk").prefetch_related("chapters"):
            chapters = sorted(work.chapters.all(), key=lambda chapter: chapter.position)
            report["works"].append({
                "title": work.title,
                "positions": [chapter.position for chapter in chapters],
                "bodies": [words(chapter)[0] for chapter in chapters],
                "whole_bodies": [len(set(words(chapter))) for chapter in chapters],
                "counts_match": work.chapter_count == len(chapters)
                    and work.word_count == sum(chapter.word_count for chapter in chapters),
            })
        return report

    # The archive as this process found it, after the last one's death; flushed
    # now, so that it reaches the test even if this process is killed too.
    print(json.dumps(check()), flush=True)
    if mode == "setup":
        writer = User.objects.create_user("writer", "writer@example.org", "x")
    with connection.execute_wrapper(die_before_the_chosen_query):
        if mode == "import":
            call_command("import_works", *rest, "--as", "writer", "--post", verbosity=0)
        elif mode == "save":
            writer = User.objects.get(username="writer")
            chapter = Chapter.objects.get(work__title="Saved Often", position=2)
            client = Client(HTTP_HOST="localhost")
            client.force_login(writer)
            version = rest[0]
            answer = client.post(
                f"/works/{chapter.work_id}/chapters/{chapter.pk}/edit/",
                {"title": "Two", "body": " ".join([version] * 300)},
            )
            assert answer.status_code == 302, answer.content[:2000]
    if mode == "setup":
        call_command("import_works", *rest, "--as", "writer", "--post", verbosity=0)
        from fanfold.archive.works.models import Work
        Work.objects.update(title="Saved Often")
    print(json.dumps({"queries": queries, "check": check()}))
    """
)

CHAPTERS = {
    "a-chapter-one.txt": "Chapter One\n\nMarrow waited at the ferry until the lamps went out.",
    "b-chapter-two.txt": "Chapter Two\n\nThe ferryman, Osk, said nothing and took her coin.",
    "c-chapter-three.txt": "Chapter Three\n\nOn the far bank the orchard was already in bloom.",
}
KILL_POINTS = 6


def child(archive: SeparateArchive, script: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    """Run the child: its exit code and its reports (what it found; what it left, if it lived)."""
    done = archive.python(str(script), *args)
    assert done.returncode in (0, -signal.SIGKILL), done.stderr[-3000:]
    reports = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return done.returncode, [json.loads(line) for line in reports]


def spread(total: int, count: int) -> list[int]:
    """``count`` kill points over queries 1..total, first and last included.

    >>> spread(100, 5)
    [1, 26, 50, 75, 100]
    """
    return sorted({round(1 + (total - 1) * step / (count - 1)) for step in range(count)})


def assert_intact(check: dict[str, Any]) -> None:
    assert check.get("integrity", "ok") == "ok"
    assert check.get("foreign_key_errors", 0) == 0
    for work in check["works"]:
        assert work["positions"] == list(range(1, len(work["positions"]) + 1)), work
        assert work["counts_match"], work


def killed_runs(
    archive: SeparateArchive, script: Path, operation: list[str], total: int
) -> list[dict[str, Any]]:
    """Kill ``operation`` before each of a spread of its queries; what each restart found."""
    found = []
    for point in spread(total, KILL_POINTS):
        code, reports = child(archive, script, operation[0], str(point), *operation[1:])
        assert code == -signal.SIGKILL, f"the operation made fewer than {point} queries"
        found.append(reports[0])
    found.append(child(archive, script, "check", "0")[1][0])
    return found[1:]  # the first report is from before any kill


@pytest.fixture(scope="module")
def archive(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[SeparateArchive, Path]]:
    """One archive for the module (migrating one costs seconds): a writer and a 3-chapter work."""
    folder = tmp_path_factory.mktemp("crash")
    with django_db_blocker.unblock(), separate_archive_in(folder / "archive") as separate:
        migrated = separate.fanfold("migrate", "--noinput", "-v", "0")
        assert migrated.returncode == 0, migrated.stderr
        script = folder / "child.py"
        script.write_text(CHILD)
        code, _ = child(separate, script, "setup", "0", *chapter_files(folder))
        assert code == 0
        yield separate, script


def chapter_files(folder: Path) -> list[str]:
    for name, text in CHAPTERS.items():
        (folder / name).write_text(text)
    return [str(folder / name) for name in CHAPTERS]


def test_an_import_killed_at_any_query_leaves_the_whole_work_or_none_of_it(
    archive: tuple[SeparateArchive, Path], tmp_path: Path
) -> None:
    separate, script = archive
    files = chapter_files(tmp_path)
    child(separate, script, "import", "0", *files)  # makes the tags: later imports reuse them
    _, (_, whole) = child(separate, script, "import", "0", *files)
    works = len(whole["check"]["works"])
    outcomes = []
    for check in killed_runs(separate, script, ["import", *files], whole["queries"]):
        assert_intact(check)
        assert [len(work["positions"]) for work in check["works"]] == [3] * len(check["works"])
        outcomes.append(len(check["works"]) - works)  # 0: rolled back; 1: it had committed
        works = len(check["works"])
    assert set(outcomes) <= {0, 1}
    assert outcomes[0] == 0, "a kill before the first query leaves nothing"


def test_a_chapter_save_killed_at_any_query_keeps_one_whole_version(
    archive: tuple[SeparateArchive, Path],
) -> None:
    separate, script = archive
    _, (_, saved) = child(separate, script, "save", "0", "Version")
    seen = []
    for check in killed_runs(separate, script, ["save", "Killed"], saved["queries"]):
        assert_intact(check)
        (saved_often,) = [work for work in check["works"] if work["title"] == "Saved Often"]
        assert saved_often["whole_bodies"][1] == 1, "a chapter mixes two versions"
        seen.append(saved_often["bodies"][1])
    # Early kills leave the text saved before; late ones come after the commit.
    assert seen[0] == "Version"
    assert seen[-1] == "Killed"
    assert set(seen) == {"Version", "Killed"}
