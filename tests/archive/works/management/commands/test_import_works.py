"""``fanfold import PATH... --as USER``: works from files, from the command line.

``import_works`` promises: chapter files given together make one work, in
story order (not the order of their names); every other file is a work of
its own; a folder holding an eFiction dump is a whole archive, its authors
becoming accounts nobody can log in to. Each work is made in its own
transaction: a file that cannot be read, or is over the archive's limits,
is reported by name, leaves nothing behind, and the others still import.
``--dry-run`` saves nothing; works are drafts unless ``--post`` (``--draft``
is still accepted); ``--fandom`` and ``--rating`` (ours or AO3's words) replace
the files'; the owner must be named and must exist. What reading found (the
engine's tag suggestions) is shown under each work, and
``--accept-suggestions`` tags them, as the fandom's canonical tags where they
exist, saying what it tagged.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fanfold.archive.people.models import User
from fanfold.archive.tags.models import TagType
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
    run_import(*map(str, seeds), "--as", "author", "--post")
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
    output = run_import(str(tmp_path / "one.txt"), "--as", "author", "--post")
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


def test_fanfold_import_makes_drafts_unless_asked_to_post(tmp_path: Path, author: User) -> None:
    (tmp_path / "one.txt").write_text(CHAPTER_ONE)
    output = run_import(str(tmp_path / "one.txt"), "--as", "author")
    assert Work.objects.get().is_draft
    assert "(draft)" in output
    run_import(str(tmp_path / "one.txt"), "--as", "author", "--post")
    assert Work.objects.filter(is_draft=False).count() == 1


def test_fanfold_import_sets_the_fandoms_and_the_rating_asked_for(
    tmp_path: Path, author: User
) -> None:
    (tmp_path / "one.txt").write_text(CHAPTER_ONE)
    run_import(
        str(tmp_path / "one.txt"),
        *("--as", "author", "--fandom", "Pride and Prejudice", "--fandom", "Emma"),
        *("--rating", "Teen And Up Audiences"),
    )
    work = Work.objects.get()
    assert work.rating == "teen"
    fandoms = work.tags.filter(type=TagType.FANDOM).values_list("name", flat=True)
    assert sorted(fandoms) == ["Emma", "Pride and Prejudice"]


def test_fanfold_import_refuses_a_rating_it_does_not_know(tmp_path: Path, author: User) -> None:
    (tmp_path / "one.txt").write_text(CHAPTER_ONE)
    with pytest.raises(CommandError, match="unknown rating 'spicy'"):
        run_import(str(tmp_path / "one.txt"), "--as", "author", "--rating", "spicy")
    assert not Work.objects.exists()


def test_fanfold_import_accepts_the_suggestions_as_the_fandoms_canonical_tags(
    tmp_path: Path, author: User
) -> None:
    from tests.archive.insights.test_suggestions import STORY
    from tests.archive.tags.test_selectors import GREYS, greys_canon

    greys_canon()
    (tmp_path / "ferry.txt").write_text(STORY)
    output = run_import(
        str(tmp_path / "ferry.txt"), "--as", "author", "--fandom", GREYS, "--accept-suggestions"
    )
    assert "tagged: Mark Sloan, Lexie Grey, Derek Shepherd, Lexie Grey/Mark Sloan" in output
    work = Work.objects.get()
    characters = work.tags.filter(type=TagType.CHARACTER).values_list("name", flat=True)
    assert sorted(characters) == ["Derek Shepherd", "Lexie Grey", "Mark Sloan"]
    relationships = work.tags.filter(type=TagType.RELATIONSHIP).values_list("name", flat=True)
    assert list(relationships) == ["Lexie Grey/Mark Sloan"]


def test_without_accepting_nothing_suggested_is_tagged(tmp_path: Path, author: User) -> None:
    from tests.archive.insights.test_suggestions import STORY

    (tmp_path / "ferry.txt").write_text(STORY)
    output = run_import(str(tmp_path / "ferry.txt"), "--as", "author")
    assert "suggested relationships: Mark Sloan/Lexie" in output
    assert "tagged:" not in output
    assert not Work.objects.get().tags.filter(type=TagType.CHARACTER).exists()


@pytest.mark.seeds
def test_the_seeds_import_as_a_draft_tagged_mark_sloan_lexie_grey(author: User) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))  # read in place
    output = run_import(
        *map(str, seeds),
        *("--as", "author", "--fandom", "Grey's Anatomy", "--rating", "teen"),
        "--accept-suggestions",
    )
    work = Work.objects.get()
    assert work.is_draft
    tagged = next(line for line in output.splitlines() if "tagged:" in line)
    relationships = [name for name in tagged.split(": ", 1)[1].split(", ") if "/" in name]
    assert relationships[0] == "Mark Sloan/Lexie Grey"
    assert "Mark Sloan/Lexie Grey" in work.tags.values_list("name", flat=True)
