"""``python -m fanfold.cli``: the ``fanfold`` command without its installed script."""

from fanfold.cli import main

raise SystemExit(main())
