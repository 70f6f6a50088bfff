"""The neutral work: what is kept between an upload and its confirmation."""

from __future__ import annotations

import json

from fanfold.formats.model import work_from_json, work_to_json
from fanfold.formats.readers.chapters import chapters_to_work

CHAPTER = "A/N: hello!\n\nChapter 1: Rain\n\nIt rained all day on the harbour.\n"


def test_the_engines_segmentation_is_not_kept_in_json() -> None:
    work = chapters_to_work([("rain.txt", CHAPTER)])
    assert work.segmented is not None
    kept = work_to_json(work)
    assert "segmented" not in json.loads(kept)
    assert kept.count("It rained all day") == 1  # the chapter's text once, in its body
    restored = work_from_json(kept)
    assert restored.segmented is None
    assert restored == work  # the segmentation is not part of what the work says
