"""Settings helpers fail loudly on a bad value."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from fanfold.archive.env import env_bool, env_int, env_list


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("off", False), ("", False)]
)
def test_env_bool_reads_the_usual_spellings(
    monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool
) -> None:
    monkeypatch.setenv("FANFOLD_X", raw)
    assert env_bool("FANFOLD_X", default=not expected) is expected


def test_env_bool_refuses_a_typo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FANFOLD_X", "ture")
    with pytest.raises(ImproperlyConfigured, match="FANFOLD_X='ture' is not a boolean"):
        env_bool("FANFOLD_X", default=False)


def test_env_int_checks_the_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FANFOLD_X", "-3")
    with pytest.raises(ImproperlyConfigured, match="below the minimum 0"):
        env_int("FANFOLD_X", default=1, minimum=0)


def test_env_list_splits_on_commas(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FANFOLD_X", "a.example, b.example,,")
    assert env_list("FANFOLD_X", default=[]) == ["a.example", "b.example"]
    monkeypatch.delenv("FANFOLD_X")
    assert env_list("FANFOLD_X", default=["c"]) == ["c"]
