"""Chapter files read as one work: the work keeps the engine's segmentation it was cut from."""

from __future__ import annotations

from fanfold.formats.readers import read_bytes, read_chapter_files
from fanfold.formats.readers.chapters import chapters_to_work
from fanfold.text import segment_work

# Two chapters of our own, named in the reverse of story order, each with notes.
LATER = """A/N: Thanks for the reviews on the last chapter!

Chapter 2: The Ferry

Nils Moen was waiting at the ferry again.

"You came back," he said.
"""
EARLIER = """A/N: My first fic, be gentle!

Chapter 1: The Pier

Tove Lund stood on the pier with her bag.

A/N: Please review!
"""
FILES = [("b.txt", LATER), ("a.txt", EARLIER)]


def test_chapter_files_keep_the_segmentation_their_chapters_were_cut_from() -> None:
    work = chapters_to_work(FILES)
    assert work.segmented == segment_work(FILES)
    assert work.segmented is not None
    segmented = work.segmented.chapters
    assert [chapter.name for chapter in segmented] == [c.source for c in work.chapters]
    for chapter, cut_from in zip(work.chapters, segmented, strict=True):
        opening_note = cut_from.segmentation.segments[0]
        assert opening_note.kind == "author_note"
        assert opening_note.span.of(cut_from.text) in chapter.notes


def test_one_text_file_keeps_its_segmentation_too() -> None:
    work = read_bytes(EARLIER.encode(), name="a.txt")
    assert work.segmented == segment_work([("a.txt", EARLIER)])


def test_read_chapter_files_keeps_the_segmentation_of_the_decoded_files() -> None:
    work = read_chapter_files([(name, text.encode("utf-8")) for name, text in FILES])
    assert work.segmented == segment_work(FILES)
