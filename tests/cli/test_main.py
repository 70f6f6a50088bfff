"""``python -m fanfold.cli``: the command runs without its installed script."""

from __future__ import annotations

import subprocess
import sys


def test_python_dash_m_runs_the_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "fanfold.cli", "help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.startswith("usage: fanfold COMMAND")
