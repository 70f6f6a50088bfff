"""``fanfold analyse``: the report for people and the JSON for machines."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from fanfold.cli.analyse import run_analyse
from tests.conftest import SEEDS

QUOTE_MARKS = "\"'“”‘’"

# Our own two chapters, copied under names in the reverse of story order.
FIXTURES = Path(__file__).parent / "fixtures" / "analyse"
CHAPTER_ONE = (FIXTURES / "thaw.txt").read_text(encoding="utf-8")
CHAPTER_TWO = (FIXTURES / "open_water.txt").read_text(encoding="utf-8")


def analyse(*args: str) -> tuple[int, str]:
    out = StringIO()
    status = run_analyse(list(args), out=out)
    return status, out.getvalue()


@pytest.fixture
def chapters(tmp_path: Path) -> list[Path]:
    second, first = tmp_path / "part_a.txt", tmp_path / "part_b.txt"
    second.write_text(CHAPTER_TWO, encoding="utf-8")
    first.write_text(CHAPTER_ONE, encoding="utf-8")
    return [second, first]


def analysed_json(*paths: Path, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    status, out = analyse(*map(str, paths), "--json", *extra)
    assert status == 0
    data: dict[str, Any] = json.loads(out)
    return data


def test_json_has_the_documented_shape_and_story_order(chapters: list[Path]) -> None:
    data = analysed_json(*chapters)
    assert set(data) >= {"order", "chapters", "characters", "relations"}
    assert data["order"] == [str(chapters[1]), str(chapters[0])]
    for chapter in data["chapters"]:
        assert set(chapter) >= {"file", "segments", "scene_breaks", "quotes"}
        for segment in chapter["segments"]:
            assert segment["kind"] in {"header", "author_note", "disclaimer", "story"}
            assert segment["cue"]
        for quote in chapter["quotes"]:
            assert set(quote) >= {"start", "end", "speaker", "method", "confidence"}


def test_offsets_point_into_the_file_as_stored_and_quotes_exclude_their_marks(
    chapters: list[Path],
) -> None:
    data = analysed_json(*chapters)
    for chapter in data["chapters"]:
        text = Path(chapter["file"]).read_bytes().decode("utf-8")
        for quote in chapter["quotes"]:
            assert text[quote["start"] - 1] in QUOTE_MARKS
            assert text[quote["end"]] in QUOTE_MARKS
            assert text[quote["start"]] not in QUOTE_MARKS
        notes = [s for s in chapter["segments"] if s["kind"] == "author_note"]
        assert notes, "each chapter has an author's note"
        assert all("A/N" in text[s["start"] : s["end"]] for s in notes)


def test_speakers_and_characters_are_found(chapters: list[Path]) -> None:
    data = analysed_json(*chapters)
    names = {c["name"] for c in data["characters"]}
    assert {"Anna Holm", "Jonas Berg"} <= names
    speakers = [q["speaker"] for c in data["chapters"] for q in c["quotes"]]
    assert speakers[0] == "Jonas Berg"  # "You're late," said Jonas Berg
    assert "Anna Holm" in speakers


def test_a_known_cast_names_the_characters(chapters: list[Path], tmp_path: Path) -> None:
    cast = tmp_path / "cast.json"
    cast.write_text(json.dumps({"Anna": ["Anna", "Anna Holm"], "Jonas": ["Jonas", "Jonas Berg"]}))
    data = analysed_json(*chapters, extra=("--characters", str(cast)))
    assert {c["name"] for c in data["characters"]} <= {"Anna", "Jonas"}
    speakers = {q["speaker"] for c in data["chapters"] for q in c["quotes"]}
    assert speakers <= {"Anna", "Jonas", None}


def test_the_readable_report_shows_order_text_and_cast(chapters: list[Path]) -> None:
    status, out = analyse(*map(str, chapters))
    assert status == 0
    assert out.index("part_b.txt") < out.index("part_a.txt")
    assert "The ice on the lake" in out
    assert "Characters" in out


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "not a text file"),
        (None, "cannot read it"),
    ],
)
def test_a_file_that_is_not_text_is_named_in_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, reason: str
) -> None:
    path = tmp_path / "chapter.png"
    if content is not None:
        path.write_bytes(content)
    status, out = analyse(str(path))
    assert status == 2
    assert out == ""
    error = capsys.readouterr().err
    assert str(path) in error
    assert reason in error


def test_a_malformed_cast_file_is_refused(
    chapters: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cast = tmp_path / "cast.json"
    cast.write_text('{"Anna": "not a list"}')
    status, _ = analyse(str(chapters[0]), "--characters", str(cast))
    assert status == 2
    assert "cast.json" in capsys.readouterr().err


def test_the_installed_command_runs(chapters: list[Path]) -> None:
    fanfold = Path(sys.executable).parent / "fanfold"
    result = subprocess.run(
        [str(fanfold), "analyse", *map(str, chapters), "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert json.loads(result.stdout)["order"][0].endswith("part_b.txt")


@pytest.fixture(scope="module")
def seeds_json() -> dict[str, Any]:
    return analysed_json(*sorted(SEEDS.glob("*.txt")))


@pytest.mark.seeds
class TestSeeds:
    """The two real chapters in ../shared/seeds (read in place, never copied)."""

    @pytest.fixture
    def data(self, seeds_json: dict[str, Any]) -> dict[str, Any]:
        return seeds_json

    def test_001_comes_before_000(self, data: dict[str, Any]) -> None:
        assert Path(data["order"][0]).name.startswith("001")
        assert Path(data["order"][1]).name.startswith("000")

    def test_every_note_and_disclaimer_is_its_own_segment(self, data: dict[str, Any]) -> None:
        first = data["chapters"][0]
        text = Path(first["file"]).read_text(encoding="utf-8")
        kinds = [(s["kind"], text[s["start"] : s["end"]]) for s in first["segments"]]
        story_text = " ".join(t for k, t in kinds if k == "story")
        assert "my other story" not in story_text
        assert "The title is the song" not in story_text
        assert "I don't own anything" not in story_text
        assert "Mark Sloan turned the key" in story_text
        assert any(k == "disclaimer" and "I don't own" in t for k, t in kinds)
        second = data["chapters"][1]
        text = Path(second["file"]).read_text(encoding="utf-8")
        paratext = [text[s["start"] : s["end"]] for s in second["segments"] if s["kind"] != "story"]
        assert any("I don't own anything" in t for t in paratext)
        assert any("I am going to write a fanfic" in t for t in paratext)

    def test_the_cast_is_found_apart(self, data: dict[str, Any]) -> None:
        names = [c["name"] for c in data["characters"]]
        for expected in ("Mark Sloan", "Lexie Grey"):
            assert expected in names
        # "Damn it, Yang!": the surname she is called by joins her ("Cristina Yang").
        cristina = next(c for c in data["characters"] if "Cristina" in c["aliases"])
        assert "Yang" in cristina["aliases"]
        for first_name in ("Derek", "Callie", "Addison", "Meredith"):
            assert any(name.split()[0] == first_name for name in names), first_name
        assert "Sloan" in names  # the daughter, apart from her father

    def test_mark_sloan_and_lexie_grey_are_suggested(self, data: dict[str, Any]) -> None:
        assert "Mark Sloan/Lexie Grey" in data["suggested_tags"]["relationships"]

    def test_most_dialogue_is_attributed(self, data: dict[str, Any]) -> None:
        quotes = [q for c in data["chapters"] for q in c["quotes"]]
        assert len(quotes) > 20
        attributed = [q for q in quotes if q["speaker"]]
        assert len(attributed) / len(quotes) > 0.8
