"""``fanfold import PATH... --as USER``: works from files, from the command line.

``import_works`` promises: chapter files given together make one work, in
story order (not the order of their names); every other file is a work of
its own; a folder holding an eFiction dump is a whole archive, its authors
becoming accounts nobody can log in to. Each work is made in its own
transaction: a file that cannot be read, or is over the archive's limits,
is reported by name, leaves nothing behind, and the others still import.
``--dry-run`` saves nothing, ``--draft`` keeps the works private, and the
owner must be named and must exist. What reading found (the engine's tag
suggestions) is shown under each work.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fanfold.archive.people.models import User
from fanfold.archive.works.management.commands.import_works import readings
from fanfold.archive.works.models import Work
from fanfold.formats.model import ParsedChapter, ParsedWork
from fanfold.formats.writers import write_epub
from tests.archive.factories import make_work
from tests.archive.works.test_importing import CHAPTER_ONE, CHAPTER_TWO, ISLAND, PIER
from tests.conftest import SEEDS


def run_import(*args: str) -> str:
    out = StringIO()
    call_command("import_works", *args, stdout=out)
    return out.getvalue()


def test_fanfold_import_reads_chapter_files_as_one_work(tmp_path: Path, author: User) -> None:
    (tmp_path / "b.txt").write_text(CHAPTER_ONE)
    (tmp_path / "a.txt").write_text(CHAPTER_TWO)
    output = run_import(str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--as", "author")
    assert "Imported 1 work(s)" in output
    work = Work.objects.get()
    assert [c.title for c in work.chapters.order_by("position")] == ["The Lane", "The Stile"]


def test_fanfold_import_dry_run_saves_nothing(tmp_path: Path, author: User) -> None:
    (tmp_path / "one.txt").write_text(CHAPTER_ONE)
    output = run_import(str(tmp_path / "one.txt"), "--as", "author", "--dry-run")
    assert "Would import 1 work(s)" in output
    assert not Work.objects.exists()


def test_fanfold_import_reports_a_broken_file_by_name_and_imports_the_rest(
    tmp_path: Path, author: User
) -> None:
    (tmp_path / "broken.epub").write_bytes(b"PK\x03\x04 broken")
    make_work(owner=author, title="Already here")
    existing = Work.objects.count()
    (tmp_path / "ok.txt").write_text(CHAPTER_ONE)
    with pytest.raises(CommandError, match="1 file"):
        run_import(str(tmp_path / "broken.epub"), str(tmp_path / "ok.txt"), "--as", "author")
    assert Work.objects.count() == existing + 1


def test_fanfold_import_needs_an_owner(tmp_path: Path, db: None) -> None:
    (tmp_path / "one.txt").write_text(CHAPTER_ONE)
    with pytest.raises(CommandError, match="--as"):
        run_import(str(tmp_path / "one.txt"))


@pytest.mark.seeds
def test_the_seeds_import_as_taking_chances_in_story_order(author: User) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    run_import(*map(str, seeds), "--as", "author")
    work = Work.objects.get()
    first, second = work.chapters.order_by("position")
    assert "Mark Sloan turned the key" in first.body
    assert "if you're reading my other story" not in first.body
    assert "my other story" in first.notes
    assert "Mark cornered Derek" in second.body
    assert "I don't own anything" not in first.body + second.body


def test_fanfold_import_moves_a_whole_efiction_archive(tmp_path: Path, db: None) -> None:
    from tests.formats.readers.test_efiction import write_export

    folder = write_export(tmp_path / "old-archive")
    output = run_import(str(folder))
    assert "Imported" in output
    works = Work.objects.select_related("owner")
    assert works.exists()
    for work in works:
        assert not work.owner.has_usable_password()
        assert work.chapters.exists()


def test_fanfold_import_reports_the_address_of_each_work(tmp_path: Path, author: User) -> None:
    (tmp_path / "one.txt").write_text(CHAPTER_ONE)
    output = run_import(str(tmp_path / "one.txt"), "--as", "author")
    work = Work.objects.get()
    assert f"“{work.title}”: 1 chapter(s)" in output
    assert f"-> /works/{work.pk}/" in output
    assert not work.is_draft


def test_fanfold_import_draft_keeps_the_works_private(tmp_path: Path, author: User) -> None:
    (tmp_path / "one.txt").write_text(CHAPTER_ONE)
    run_import(str(tmp_path / "one.txt"), "--as", "author", "--draft")
    assert Work.objects.get().is_draft


def test_fanfold_import_shows_the_engines_suggestions(tmp_path: Path, author: User) -> None:
    (tmp_path / "002_part.txt").write_text(PIER)
    (tmp_path / "001_part.txt").write_text(ISLAND)
    output = run_import(
        str(tmp_path / "002_part.txt"), str(tmp_path / "001_part.txt"), "--as", "author"
    )
    assert "suggested characters: Tove Lund, Nils Moen" in output


def test_fanfold_import_refuses_a_missing_file_before_reading_any(
    tmp_path: Path, author: User
) -> None:
    (tmp_path / "one.txt").write_text(CHAPTER_ONE)
    with pytest.raises(CommandError, match=r"no such file or folder: .*gone\.txt"):
        run_import(str(tmp_path / "one.txt"), str(tmp_path / "gone.txt"), "--as", "author")
    assert not Work.objects.exists()


def test_fanfold_import_needs_an_owner_who_exists(tmp_path: Path, db: None) -> None:
    (tmp_path / "one.txt").write_text(CHAPTER_ONE)
    with pytest.raises(CommandError, match="no account named 'ghost'"):
        run_import(str(tmp_path / "one.txt"), "--as", "ghost")


def test_fanfold_import_names_the_file_over_the_limits_and_saves_nothing_of_it(
    tmp_path: Path, author: User, capsys: pytest.CaptureFixture[str]
) -> None:
    book = ParsedWork(
        title="Wordy",
        summary="<p>" + "s" * 1300 + "</p>",
        chapters=(ParsedChapter(title="One", body="<p>The fog came in.</p>"),),
    )
    (tmp_path / "wordy.epub").write_bytes(write_epub(book))
    with pytest.raises(CommandError, match="1 file"):
        run_import(str(tmp_path / "wordy.epub"), "--as", "author")
    assert "wordy.epub: the summary has" in capsys.readouterr().err
    assert not Work.objects.exists()


def test_chapter_files_are_read_together_and_other_files_one_by_one(tmp_path: Path) -> None:
    names = ["a.txt", "b.md", "book.epub", "c.TXT", "d.markdown", "page.html"]
    found = [(label, files) for label, files, _ in readings([tmp_path / n for n in names])]
    assert found == [("a.txt, b.md, c.TXT…", 4), ("book.epub", 1), ("page.html", 1)]
