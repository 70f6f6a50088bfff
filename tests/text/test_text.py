"""The reading engine's entry points: chapter texts in, one typed analysis of the work out.

``analyse_work`` promises to put chapters given in any order into story
order, to read characters, quotes, speakers and relations from the story
only (notes never add a character), to map mentions onto a ``known`` cast
when one is given, and to suggest as tags only the characters a work
really is about. ``segment_work`` runs ordering and segmenting alone, and
``analyse_segmented`` the rest on its result without segmenting again;
``analyse_chapter`` is a work of one chapter. Whatever the input, it never
raises and every offset it reports lies inside the text it was given.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanfold.text import (
    WorkAnalysis,
    analyse_chapter,
    analyse_segmented,
    analyse_work,
    segment_work,
)
from fanfold.text.ordering import order_chapters
from fanfold.text.segment import segment_chapter

# Text made of the characters the stages care about, so quotes, names,
# breaks and notes are common rather than astronomically rare.
FICTION_ALPHABET = st.sampled_from(
    [*"\"'“”‘’*~-_.,!?:;()\n\n ", "A/N:", "Mark", "Sloan", "Lex", " said ", "she", "he"]
)
fiction_like = st.lists(FICTION_ALPHABET, max_size=400).map("".join)
any_text = st.one_of(st.text(max_size=2000), fiction_like)


def assert_consistent(work: WorkAnalysis) -> None:
    for chapter in work.chapters:
        size = len(chapter.text)
        for segment in chapter.segmentation.segments:
            assert 0 <= segment.span.start <= segment.span.end <= size
        for span in chapter.segmentation.scene_breaks:
            assert 0 <= span.start <= span.end <= size
        for attribution in chapter.attributions:
            for part in attribution.quote.parts:
                assert 0 <= part.start <= part.end <= size
            if attribution.speaker is not None:
                assert 0 <= attribution.speaker < len(work.cast.characters)
            assert 0.0 <= attribution.confidence <= 1.0
    for relation in work.relations:
        assert relation.a != relation.b
        assert 0.0 <= relation.score <= 1.0
    assert sorted(work.order.order) == list(range(len(work.chapters)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_any_chapter_analyses_without_error(text: str) -> None:
    assert_consistent(analyse_chapter(text))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(any_text, max_size=6))
def test_any_set_of_chapters_analyses_without_error(texts: list[str]) -> None:
    work = analyse_work([(f"{n}.txt", text) for n, text in enumerate(texts)])
    assert len(work.chapters) == len(texts)
    assert_consistent(work)


def test_text_decoded_with_replacement_characters_analyses() -> None:
    mixed = "“Caf\xe9” she said".encode("cp1252") + " — “naïve,” he said.".encode()
    text = mixed.decode("utf-8", errors="replace")
    assert_consistent(analyse_chapter(text))


@pytest.mark.slow
def test_five_megabytes_on_one_line_analyses() -> None:
    line = ('"Wait," said Mark Sloan, and she laughed. ' * 120_000)[:5_000_000]
    work = analyse_chapter(line)
    assert_consistent(work)
    assert work.chapters[0].attributions


def test_unbalanced_quotes_everywhere_analyse() -> None:
    text = '"' * 10_000 + "\n\n" + "“ ‘ ” ’ " * 5_000 + '\n\n"Hello, said Anna.\n\nNo close.'
    assert_consistent(analyse_chapter(text))


def test_an_empty_chapter_and_an_empty_work_analyse() -> None:
    assert_consistent(analyse_chapter(""))
    assert analyse_work([]).chapters == ()


# Two chapters of our own, given in the reverse of story order, with notes
# around the story and dialogue inside it.
LATER = """A/N: Sorry for the wait! Thanks for the reviews on the last chapter.

Chapter 2: The Ferry

Nils Moen was waiting at the ferry again, as he had since that night.

"You came back," said Nils Moen.

"I said I would," Tove Lund answered. "I always do."
"""
EARLIER = """A/N: My first fic, be gentle!

Chapter 1: The Pier

Tove Lund stood on the pier with her bag. "Is this the ferry to the island?" she asked.

"The last one today," said Nils Moen, and took her bag.

A/N: Please review!
"""
CHAPTERS = [("b.txt", LATER), ("a.txt", EARLIER)]


def test_segment_work_orders_the_chapters_and_segments_each() -> None:
    segmented = segment_work(CHAPTERS)
    assert segmented.order == order_chapters(CHAPTERS)
    assert [chapter.name for chapter in segmented.chapters] == ["a.txt", "b.txt"]
    for chapter in segmented.chapters:
        assert chapter.segmentation == segment_chapter(chapter.text)
        kinds = [segment.kind for segment in chapter.segmentation.segments]
        assert kinds[0] == "author_note"
        assert "story" in kinds


def test_a_segmented_work_is_analysed_with_its_own_segmentations() -> None:
    segmented = segment_work(CHAPTERS)
    reused = analyse_segmented(segmented)
    for analysed, chapter in zip(reused.chapters, segmented.chapters, strict=True):
        assert analysed.segmentation is chapter.segmentation  # reused, not segmented again
        assert analysed.text is chapter.text
    assert reused == analyse_work(CHAPTERS)  # and read exactly as a fresh analysis reads it
    assert "Nils Moen" in reused.character_tags  # an analysis with something in it


def test_chapters_come_back_in_story_order_with_the_order_that_put_them_there() -> None:
    work = analyse_work(CHAPTERS)
    assert [chapter.name for chapter in work.chapters] == ["a.txt", "b.txt"]
    assert work.order.order == (1, 0)  # indexes into the chapters as given
    assert work.chapters[0].text is EARLIER


def test_a_name_only_in_an_authors_note_is_no_character() -> None:
    thanked = "A/N: Thanks to Greta Vik for reading this first!\n\n" + EARLIER
    names = [character.name for character in analyse_chapter(thanked).cast.characters]
    assert "Tove Lund" in names
    assert "Greta Vik" not in names


def test_a_known_cast_is_the_whole_cast() -> None:
    work = analyse_work(CHAPTERS, known={"Tove Lund": ["Tove"], "Harbour Master": []})
    cast = {character.name: character for character in work.cast.characters}
    assert set(cast) == {"Tove Lund", "Harbour Master"}  # Nils Moen is not looked for
    assert cast["Tove Lund"].mentions == 2
    assert cast["Harbour Master"].mentions == 0


def test_a_character_needs_three_mentions_and_a_fair_share_to_be_a_suggested_tag() -> None:
    text = "Anna walked to the shop.\n\n" * 100 + "Bo waved.\n\n" * 3 + "Cai nodded.\n\n" * 20
    work = analyse_chapter(text, known={"Anna": [], "Bo": [], "Cai": [], "Dag": []})
    # Bo: three mentions but under 3% of them; Dag: never named.
    assert work.character_tags == ("Anna", "Cai")
    assert analyse_work(CHAPTERS).character_tags == ("Nils Moen",)  # Tove Lund: two mentions


def test_a_suggested_character_is_named_at_least_a_fifth_as_often_as_the_lead() -> None:
    # A passer-by named six times in a chapter about Anna and Cai is not their cast.
    text = "Anna walked to the shop.\n\n" * 40 + "Cai nodded.\n\n" * 9 + "Bo waved.\n\n" * 6
    work = analyse_chapter(text, known={"Anna": [], "Bo": [], "Cai": []})
    assert work.character_tags == ("Anna", "Cai")


def test_a_title_the_text_says_with_the_is_not_a_suggested_character() -> None:
    # "the Warden" is a post, as "the Hokage" or "the Wraith" are; Anna and Cai are people.
    text = (
        "Anna walked to the gate. The Warden watched her.\n\n" * 10
        + "Cai nodded to the Warden.\n\n" * 6
    )
    work = analyse_chapter(text, known={"Anna": [], "Cai": [], "Warden": []})
    warden = next(c for c in work.cast.characters if c.name == "Warden")
    assert warden.mentions == 16  # in the cast, for speakers and relations
    assert work.character_tags == ("Anna", "Cai")


def test_at_most_twelve_characters_are_suggested_as_tags() -> None:
    names = [f"Person{letter}" for letter in "ABCDEFGHIJKLMN"]
    text = "".join(f"{name} walked home.\n\n" * 5 for name in names)
    work = analyse_chapter(text, known={name: [] for name in names})
    assert len(work.cast.characters) == 14
    assert len(work.character_tags) == 12


def test_one_chapter_is_a_work_of_one_chapter_under_the_name_given() -> None:
    assert [chapter.name for chapter in analyse_chapter(EARLIER).chapters] == ["chapter"]
    alone = analyse_chapter(EARLIER, name="pier.txt")
    assert alone == analyse_work([("pier.txt", EARLIER)])
    assert alone.chapters[0].attributions  # its quotes were read and attributed
