"""The suite mirrors ``src/``: each module has its test module, found by name.

``src/fanfold/formats/readers/ao3.py`` is tested in
``tests/formats/readers/test_ao3.py``; a package's own code (its
``__init__.py``) in a test module named after the package
(``src/fanfold/text/__init__.py`` in ``tests/text/test_text.py``). A newcomer
looking for a module's tests, or for the module a failing test is about,
finds it without searching. The few files outside the rule are listed here
with the reason, and a list that names a file that is gone fails too.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "fanfold"
TESTS = ROOT / "tests"

# Modules with no test module of their own, and why.
UNMIRRORED = {
    "archive/people/apps.py": "an AppConfig; its ready() connects receivers.py",
    "archive/search/apps.py": "an AppConfig declaration",
    "archive/works/apps.py": "an AppConfig declaration",
    "archive/reading/apps.py": "an AppConfig; its ready() connects receivers.py",
    "archive/comments/apps.py": "an AppConfig; its chapter-delete recount: test_services.py",
    "archive/inbox/apps.py": "an AppConfig declaration",
    "archive/insights/apps.py": "an AppConfig; its ready() connects receivers.py",
    "archive/moderation/apps.py": "an AppConfig declaration",
    "archive/personal_data/apps.py": "an AppConfig declaration",
    "archive/backups/apps.py": "an AppConfig declaration",
    "archive/tags/apps.py": "an AppConfig; the converter its ready() registers: test_converters.py",
    "archive/wsgi.py": "the WSGI entry point; archive/test_server.py serves the archive through it",
    "cli/__main__.py": "calls cli.main; cli/test_cli.py runs it as python -m fanfold.cli",
}

# Test modules about more than one module, and why they stand on their own.
CROSS_CUTTING = {
    "test_layout.py": "this file: the suite's own shape",
    "test_doctests.py": "runs the worked examples in every module's docstrings",
    "test_benchmarks.py": "bench/ is outside src/: the corpus generator still runs",
    "bench/test_load.py": "bench/ is outside src/: the load benchmark's wrk parsing and Lua",
    "archive/test_browser.py": "a reader and an author in a real Chromium, across every app",
    "archive/test_accessibility.py": "axe-core on the main pages of every app",
    "archive/test_crash_safety.py": "SIGKILL mid-import and mid-save: works, chapters and counts",
    "archive/test_xss.py": "XSS payloads through every user-writable field, rendered in Chromium",
    "hostile/test_values.py": "hostile names and texts through every door (issue 9)",
    "hostile/test_imports.py": "hostile files through every reader and the import pages",
    "hostile/test_any_value.py": "property tests: any value through services, forms and EPUB",
    "archive/test_replica.py": "reader pages through the router against a real streaming replica",
    "archive/test_permissions.py": "every URL of every app x seven personas, scanned for leaks",
    "archive/test_stored_values.py": "every URL over each choice column's values, odd languages",
    "archive/test_worker_kill.py": "gunicorn workers SIGKILLed under writes from several apps",
    "archive/test_layout.py": "docs/deploy.md's machines through nginx (tools/deploy-layout)",
}


def has_code(module: Path) -> bool:
    """True when a module defines or runs anything beyond imports and a docstring."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, ast.Assign) and all(
            isinstance(target, ast.Name) and target.id in {"__all__", "__version__"}
            for target in node.targets
        ):
            continue
        return True
    return False


def mirror(module: Path) -> Path:
    """Where a module's tests live.

    >>> mirror(SRC / "text" / "segment.py").relative_to(TESTS).as_posix()
    'text/test_segment.py'
    >>> mirror(SRC / "formats" / "readers" / "__init__.py").relative_to(TESTS).as_posix()
    'formats/readers/test_readers.py'
    """
    relative = module.relative_to(SRC)
    name = relative.parent.name if module.name == "__init__.py" else module.stem
    return TESTS / relative.parent / f"test_{name}.py"


def source_modules() -> list[Path]:
    modules = []
    for module in sorted(SRC.rglob("*.py")):
        if "migrations" in module.parts:
            continue
        if module.name == "__init__.py" and not has_code(module):
            continue
        modules.append(module)
    return modules


def test_every_module_has_its_test_module() -> None:
    unmirrored = [
        module.relative_to(SRC).as_posix()
        for module in source_modules()
        if module.relative_to(SRC).as_posix() not in UNMIRRORED and not mirror(module).is_file()
    ]
    assert unmirrored == [], "modules without tests/<same path>/test_<name>.py"


def test_every_test_module_mirrors_a_module_or_says_why_not() -> None:
    mirrors = {mirror(module) for module in source_modules()}
    strays = [
        test.relative_to(TESTS).as_posix()
        for test in sorted(TESTS.rglob("test_*.py"))
        if test not in mirrors and test.relative_to(TESTS).as_posix() not in CROSS_CUTTING
    ]
    assert strays == [], (
        "test modules that mirror no module: move them, or say why in CROSS_CUTTING"
    )


def test_the_exceptions_name_files_that_exist() -> None:
    gone = [name for name in UNMIRRORED if not (SRC / name).is_file()]
    gone += [name for name in CROSS_CUTTING if not (TESTS / name).is_file()]
    assert gone == []
