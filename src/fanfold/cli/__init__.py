"""The ``fanfold`` command: thin dispatch onto the layers below.

``fanfold analyse`` runs the reading engine and never starts Django; its
report and JSON live here in ``fanfold.cli.analyse``, so the engine returns
analysis and never formats it. ``fanfold serve`` runs the archive under
gunicorn. Any other word is handed to Django's management commands
(``fanfold migrate``, ``fanfold createsuperuser``, ``fanfold load_samples`` ...).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

DJANGO_SETTINGS = "fanfold.archive.settings"
USAGE = """usage: fanfold COMMAND [ARGS...]

Commands:
  analyse FILE... [--json] [--characters CAST.json]
                  read chapter files as one work: notes, order, characters, speakers
  import PATH...  import works from files (see `fanfold import --help`)
  serve           serve the archive with gunicorn (see `fanfold serve --help`)
  help            this message
  anything else   a Django management command (migrate, createsuperuser, ...)
"""


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"help", "-h", "--help"}:
        print(USAGE, end="")
        return 0
    command, rest = args[0], args[1:]
    if command == "analyse":
        from fanfold.cli.analyse import run_analyse

        return run_analyse(rest)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DJANGO_SETTINGS)
    if command == "serve":
        from fanfold.archive.server import serve

        return serve(rest)
    if command == "import":  # `import` is a Python keyword, so the command module can't be
        return _django(["import_works", *rest])
    return _django(args)


def _django(args: list[str]) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["fanfold", *args])
    return 0
