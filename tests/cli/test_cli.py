"""The ``fanfold`` command's dispatch: each first word goes to the layer that does the work.

``main`` promises: no word, ``help``, ``-h`` or ``--help`` print the usage
and succeed; ``analyse`` runs the reading engine's report; ``serve`` the
archive under gunicorn; ``import`` Django's ``import_works`` command; any
other word is a Django management command, so an unknown one fails the
way Django says it. Without arguments it reads the command line, and
``python -m fanfold.cli`` runs it without the installed script.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fanfold.cli import USAGE, main

CHAPTER = (
    'Chapter 1: The Pier\n\n"Is this the ferry?" Tove Lund asked.\n\n"It is," said Nils Moen.\n'
)


@pytest.mark.parametrize("args", [[], ["help"], ["-h"], ["--help"]])
def test_no_command_or_a_request_for_help_prints_the_usage(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 0
    printed = capsys.readouterr()
    assert printed.out == USAGE
    assert printed.err == ""


def test_the_usage_names_every_command_of_its_own() -> None:
    for command in ("analyse FILE", "import PATH", "serve", "help"):
        assert f"\n  {command}" in USAGE


def test_without_arguments_main_reads_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["fanfold", "help"])
    assert main() == 0
    assert capsys.readouterr().out == USAGE


def test_analyse_runs_the_reading_engine_on_the_files_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chapter = tmp_path / "pier.txt"
    chapter.write_text(CHAPTER, encoding="utf-8")
    assert main(["analyse", str(chapter), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["order"] == [str(chapter)]
    assert {character["name"] for character in report["characters"]} >= {"Tove Lund"}


def test_analyse_without_files_is_refused_as_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["analyse"])
    assert stopped.value.code == 2
    assert "usage: fanfold analyse" in capsys.readouterr().err


def test_serve_is_the_archives_own_server_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:  # --help: the options, and no server started
        main(["serve", "--help"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith("usage: fanfold serve [-h] [--bind BIND]")


def test_import_is_djangos_import_works_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["import", "--help"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith("usage: fanfold import_works ")


def test_any_other_word_is_a_django_management_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check"]) == 0
    assert "System check identified no issues" in capsys.readouterr().out


def test_an_unknown_command_fails_with_djangos_message(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["no_such_command"])
    assert stopped.value.code == 1
    assert "Unknown command: 'no_such_command'" in capsys.readouterr().err


def test_python_dash_m_runs_the_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "fanfold.cli", "help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout == USAGE
