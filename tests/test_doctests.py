"""The worked examples in the engine's and the formats' docstrings are true."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import fanfold.formats
import fanfold.text

MODULES = sorted(
    info.name
    for package in (fanfold.text, fanfold.formats)
    for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
)


@pytest.mark.parametrize("name", ["fanfold.text", "fanfold.formats", *MODULES])
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"
