"""What the insights app does when the works app below it says a work's text changed."""

from __future__ import annotations

from typing import Any

from fanfold.archive.insights.tasks import queue_analysis


def work_text_changed(sender: type, *, work_id: int, **kwargs: Any) -> None:
    """A chapter was written, edited, moved or deleted: the work is read again, by a worker."""
    queue_analysis(work_id=work_id)
