"""The worked examples in docstrings are true: the engine, the formats and the archive's."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import fanfold.archive
import fanfold.formats
import fanfold.text

MODULES = sorted(
    info.name
    for package in (fanfold.text, fanfold.formats)
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
)


def _archive_modules_with_examples() -> list[str]:
    """Archive modules whose docstrings hold examples (found in the source: they need Django)."""
    root = Path(fanfold.archive.__path__[0])
    return sorted(
        "fanfold.archive." + ".".join(path.relative_to(root).with_suffix("").parts)
        for path in root.rglob("*.py")
        if ">>> " in path.read_text(encoding="utf-8")
    )


ARCHIVE_MODULES = _archive_modules_with_examples()


@pytest.mark.parametrize("name", ["fanfold.text", "fanfold.formats", *MODULES, *ARCHIVE_MODULES])
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
