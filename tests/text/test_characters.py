"""Stage ``characters``: names found, told from places and words, and clustered.

The prose here is ours, written to hold one difficulty per test.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from fanfold.text.characters import Cast, Character, find_characters
from fanfold.text.spans import Span


def names(cast: Cast) -> list[str]:
    return [c.name for c in cast.characters]


def character(cast: Cast, name: str) -> Character:
    found = [c for c in cast.characters if c.name == name]
    assert found, f"{name!r} not among {names(cast)}"
    return found[0]


def test_a_full_name_gathers_its_first_name_and_surname() -> None:
    cast = find_characters(
        [
            "Mark Sloan walked into the bar. Mark ordered two drinks and waited. "
            "When the door opened, Mark smiled. Everyone knew Sloan never waited long."
        ]
    )
    mark = character(cast, "Mark Sloan")
    assert set(mark.aliases) == {"Mark", "Mark Sloan", "Sloan"}
    assert mark.mentions == 4
    assert mark.gender == "he"


def test_a_prefix_of_a_first_name_is_a_nickname() -> None:
    cast = find_characters(
        ["Lexie Grey laughed at the joke. Then she saw the chart. 'Lex,' he said, 'come here.'"]
    )
    assert set(character(cast, "Lexie Grey").aliases) == {"Lex", "Lexie Grey"}


def test_a_known_nickname_joins_its_full_first_name() -> None:
    cast = find_characters(
        [
            "William Harrow opened the shop at eight. By noon Bill had sold nothing. "
            "Bill swept the floor, and William Harrow counted the till again."
        ]
    )
    assert "Bill" in character(cast, "William Harrow").aliases
    assert "Bill" not in names(cast)


def test_a_surname_that_is_also_a_daughters_name_stays_her_own() -> None:
    # "Sloan" is Mark Sloan's surname and, here, his daughter's first name:
    # her pronouns disagree with his, so she is someone else.
    cast = find_characters(
        [
            "Mark Sloan paced the hall. He had not slept. Mark checked his phone again.\n\n"
            "Sloan sat on the stairs with her bag. She was nineteen and she was furious. "
            "Sloan looked up at him. Later Sloan told her father everything she knew."
        ]
    )
    assert "Mark Sloan" in names(cast)
    assert "Sloan" in names(cast)
    assert character(cast, "Sloan").gender == "she"
    assert "Sloan" not in character(cast, "Mark Sloan").aliases


def test_a_name_only_used_to_address_someone_joins_the_last_person_named() -> None:
    cast = find_characters(
        [
            "Cristina was there before anyone else, scrubbing in.\n\n"
            '"Damn it, Yang!" the attending shouted from the door.'
        ]
    )
    assert {"Cristina", "Yang"} <= set(character(cast, "Cristina Yang").aliases)
    assert "Yang" not in names(cast)


def test_a_given_name_addressed_by_a_title_or_another_given_name_is_not_given_a_surname() -> None:
    for word in ("Captain", "Thomas", "Neko-chan"):
        cast = find_characters(
            [
                "Cristina was there before anyone else, scrubbing in.\n\n"
                f'"Damn it, {word}!" the attending shouted from the door.'
            ]
        )
        assert "Cristina" in names(cast), word


def test_a_nickname_used_to_address_someone_is_not_made_into_a_surname() -> None:
    cast = find_characters(
        [
            "Wren climbed the hundred steps. Wren was tired.\n\n"
            '"Slow down, Gull-chan!" the keeper called after her.'
        ]
    )
    assert names(cast)[0] == "Wren"
    assert not any(name.startswith("Wren ") for name in names(cast))


def test_honorifics_keep_husband_and_wife_apart() -> None:
    cast = find_characters(
        [
            "Mr. Hollis read the paper while Mrs. Hollis wrote her letters. "
            "Mr. Hollis sighed; Mrs. Hollis did not look up from her desk."
        ]
    )
    assert {"Mr. Hollis", "Mrs. Hollis"} <= set(names(cast))
    assert character(cast, "Mrs. Hollis").gender == "she"
    assert character(cast, "Mr. Hollis").gender == "he"


def test_places_after_place_words_are_not_people() -> None:
    cast = find_characters(
        [
            "They flew to Seattle in March. Derek had lived in Seattle for years. "
            "Derek said the rain in Seattle was the point. Derek liked it there."
        ]
    )
    assert "Derek" in names(cast)
    assert "Seattle" not in names(cast)


def test_a_kind_of_being_counted_like_a_thing_is_not_a_person() -> None:
    # A rank or a species ("a Genin", "two Wraith") is capitalised and acts, but is counted.
    cast = find_characters(
        [
            "A Selkie watched from the rocks. Anna waved at it. Two Selkie swam closer, "
            "and another Selkie sang. The Selkie dived. Anna laughed and Anna swam after it."
        ]
    )
    assert "Anna" in names(cast)
    assert "Selkie" not in names(cast)


def test_a_parent_the_narration_calls_mama_is_a_character_and_my_mom_is_not_one() -> None:
    cast = find_characters(
        [
            'Mama was waiting by the gate. "Late again?" asked Mama.\n\n'
            '"Sorry," Elsie said. Mama laughed and took her bag, and Elsie followed Mama home. '
            "My mom would have shouted, Elsie thought; my dad too."
        ]
    )
    mama = next(c for c in cast.characters if c.name == "Mama")
    assert (mama.gender, mama.mentions) == ("she", 4)
    assert not {"Mom", "Dad"} & set(names(cast))


def test_a_capitalised_word_mostly_used_in_lower_case_is_not_a_name() -> None:
    cast = find_characters(
        [
            "Hope was all they had. They would hope for rain, hope for a boat, "
            "hope for anything at all. Anna Marsh did not hope; Anna walked on."
        ]
    )
    assert "Hope" not in names(cast)
    assert "Anna Marsh" in names(cast)


def test_an_unknown_name_followed_by_a_deed_is_a_person() -> None:
    # Not a first name the lexicon knows, no honorific, never addressed, and
    # named only twice: the verbs right after it are the evidence.
    cast = find_characters(
        ["The door opened and Quennick walked in. Then Quennick laughed at the whole room."]
    )
    assert "Quennick" in names(cast)


def test_the_most_mentioned_character_comes_first() -> None:
    cast = find_characters(
        ["Anna Marsh waved. Anna smiled. Anna ran. Tom Reed watched Anna go, and Tom sighed."]
    )
    assert names(cast)[:2] == ["Anna Marsh", "Tom Reed"]


def test_mentions_point_at_the_names_in_the_text() -> None:
    text = "Anna Marsh waved to Tom Reed. Tom waved back at Anna."
    cast = find_characters([text])
    seen = {(text[m.span.start : m.span.end], cast.characters[m.character].name)
            for m in cast.mentions[0]}  # fmt: skip
    assert seen == {
        ("Anna Marsh", "Anna Marsh"),
        ("Tom Reed", "Tom Reed"),
        ("Tom", "Tom Reed"),
        ("Anna", "Anna Marsh"),
    }


def test_regions_limit_reading_to_the_story() -> None:
    note = "A/N: thanks to Beatrix Quill for the beta!\n\n"
    story = "Anna Marsh waited at the pier. Anna waited all night."
    cast = find_characters([note + story], regions=[[Span(len(note), len(note + story))]])
    assert names(cast) == ["Anna Marsh"]


def test_names_across_chapters_form_one_cast() -> None:
    cast = find_characters(["Anna Marsh left the city.", "Years later, Anna came home."])
    anna = character(cast, "Anna Marsh")
    assert anna.mentions == 2
    assert [len(chapter) for chapter in cast.mentions] == [1, 1]


class TestKnownCast:
    CAST = {
        "Lexie Grey": ["Lexie", "Lexie Grey", "Lex", "Little Grey"],
        "Meredith Grey": ["Meredith", "Meredith Grey", "Grey"],
        "Mark Sloan": ["Mark", "Mark Sloan", "Sloan"],
    }

    def test_every_alias_maps_onto_its_canonical_name(self) -> None:
        text = "Little Grey waved. Mark Sloan grinned, and Lex waved back. Meredith sighed."
        cast = find_characters([text], known=self.CAST)
        counts = {c.name: c.mentions for c in cast.characters}
        assert counts["Lexie Grey"] == 2
        assert counts["Mark Sloan"] == 1
        assert counts["Meredith Grey"] == 1

    def test_the_longest_alias_wins(self) -> None:
        # "Lexie Grey" is one mention of Lexie, not Lexie plus Meredith's "Grey".
        cast = find_characters(["Lexie Grey sat down."], known=self.CAST)
        counts = {c.name: c.mentions for c in cast.characters}
        assert counts.get("Lexie Grey") == 1
        assert counts.get("Meredith Grey", 0) == 0

    def test_an_alias_matches_whole_words_only(self) -> None:
        cast = find_characters(["The marker was greyish and Sloane's."], known=self.CAST)
        assert sum(c.mentions for c in cast.characters) == 0


@given(st.lists(st.text(max_size=300), max_size=3))
def test_any_text_gives_mentions_inside_it(texts: list[str]) -> None:
    cast = find_characters(texts)
    assert len(cast.mentions) == len(texts)
    for text, mentions in zip(texts, cast.mentions, strict=True):
        for mention in mentions:
            assert 0 <= mention.span.start < mention.span.end <= len(text)
            assert 0 <= mention.character < len(cast.characters)


def test_a_sentence_opening_word_is_not_glued_onto_the_name_after_it() -> None:
    cast = find_characters(
        [
            "Wren Tally lit the lamp. Seeing Wren, the keeper waved; he was seeing double. "
            "Despite Wren and despite the rain, the ferry came in."
        ]
    )
    assert names(cast) == ["Wren Tally"]
    assert set(character(cast, "Wren Tally").aliases) == {"Wren", "Wren Tally"}


def test_a_capitalised_description_after_the_takes_in_no_one_s_names() -> None:
    text = (
        "Wren met the Wren Lookalike on the stairs. Wren stared. "
        "The Lookalike smiled, and the Wren Lookalike bowed. Wren ran."
    )
    cast = find_characters([text])
    wren = next(c for c in cast.characters if "Wren" in c.aliases)
    assert "Wren Lookalike" not in wren.aliases
    assert wren.name == "Wren"


def test_a_full_name_spelled_once_is_a_person_when_its_first_name_acts() -> None:
    # "Quill Marrow." stands alone, with no deed of its own; "Quill ran" is enough.
    text = (
        "Two names were on the door. Quill Marrow. Oska Venn. "
        "Quill ran to the dock and Quill laughed. Oska waited; Oska sighed."
    )
    cast = find_characters([text])
    assert names(cast) == ["Quill Marrow", "Oska Venn"]
    assert set(character(cast, "Quill Marrow").aliases) == {"Quill", "Quill Marrow"}


def test_a_description_after_the_owns_no_bare_surname() -> None:
    # "the Tally Wren" describes someone; the "Wren" who stares is not called "Tally".
    text = "Wren met the Tally Wren on the stairs. Wren stared. Wren ran. The Tally Wren smiled."
    cast = find_characters([text])
    assert "Tally Wren" not in character(cast, "Wren").aliases


def test_a_full_name_only_written_with_a_title_is_suggested_without_it() -> None:
    text = (
        "Dr. Odile Fenwick checked the pumps. Odile frowned at the gauge. "
        "Fenwick swore and Odile laughed."
    )
    cast = find_characters([text])
    assert names(cast) == ["Odile Fenwick"]
    odile = character(cast, "Odile Fenwick")
    assert {"Dr. Odile Fenwick", "Odile", "Fenwick"} <= set(odile.aliases)


def test_a_japanese_honorific_suffix_joins_the_name_it_is_added_to() -> None:
    text = (
        "At dawn Tomaru waited at the gate. Tomaru sighed. "
        '"Tomaru-sensei!" Keiko ran to him. "Sorry, Tomaru-sensei," Keiko said.'
    )
    cast = find_characters([text])
    assert "Tomaru-sensei" in character(cast, "Tomaru").aliases
    assert "Tomaru-sensei" not in names(cast)


def test_a_name_written_in_both_orders_is_one_person() -> None:
    text = "Elin Barrow ran. Barrow Elin, the clerk wrote. Elin waved. Elin laughed."
    cast = find_characters([text])
    assert names(cast) == ["Elin Barrow"]
    assert "Barrow Elin" in character(cast, "Elin Barrow").aliases


def test_japanese_names_are_suggested_family_name_first() -> None:
    # A story that calls people "-kun" and "-chan" names them as its fandom's tags do:
    # "Haruto Kisaragi", whose "Haruto" is used alone, is "Kisaragi Haruto".
    text = (
        "Haruto Kisaragi looked up. Haruto smiled. "
        '"Look, Haruto-kun!" called Mei-chan. "Yes, Mei-chan," Haruto said and Mei-chan laughed.'
    )
    cast = find_characters([text])
    haruto = next(c for c in cast.characters if "Haruto" in c.aliases)
    assert haruto.name == "Kisaragi Haruto"
    assert {"Haruto Kisaragi", "Haruto-kun"} <= set(haruto.aliases)


def test_western_names_keep_their_order_without_japanese_honorifics() -> None:
    text = "Haruto Kisaragi looked up. Haruto smiled. Haruto laughed."
    assert names(find_characters([text])) == ["Haruto Kisaragi"]


def test_a_description_after_the_owns_its_last_word_after_the() -> None:
    text = "Wren met the Tally Lookalike. The Tally Lookalike smiled; the Lookalike bowed."
    cast = find_characters([text])
    assert {"Tally Lookalike", "Lookalike"} <= set(character(cast, "Tally Lookalike").aliases)


def test_a_title_before_a_first_name_joins_the_full_name() -> None:
    text = "King Odric Vale rode in. King Odric waved, and Odric laughed. Later King Odric slept."
    cast = find_characters([text])
    assert names(cast) == ["Odric Vale"]
    assert {"King Odric", "King Odric Vale"} <= set(character(cast, "Odric Vale").aliases)


def test_a_participle_opening_the_sentence_is_not_glued_onto_the_name_after_it() -> None:
    # "Hearing" is never written in lower case here, and still is no one's first name.
    text = "Wren Tally lit the lamp. Hearing Wren had come home, the keeper waved. Wren laughed."
    cast = find_characters([text])
    assert names(cast) == ["Wren Tally"]


def test_a_word_opening_a_single_quoted_line_or_a_paragraph_is_not_mid_sentence() -> None:
    # Dialogue in single quotes: "'They're" and a paragraph's first word open sentences,
    # so they are not names for having been seen "mid-sentence".
    cast = find_characters(
        [
            "Orla Penhale looked out over the harbour.\n\n"
            "'They're scared of me,' Orla muttered. 'All of them.'\n\n"
            "Footsteps pattered up the stairs. 'Orla!' Bram's voice rang up the steps.\n\n"
            "'Leave me be,' Orla said. Bram laughed and sat beside her."
        ]
    )
    assert "They're" not in names(cast)
    assert "Footsteps" not in names(cast)
    assert {"Orla Penhale", "Bram"} <= set(names(cast))


def test_a_name_ending_in_a_place_word_is_a_place_unless_it_starts_with_a_first_name() -> None:
    cast = find_characters(
        [
            "Orla stared over the lake at the Gloaming Forest. The Gloaming Forest "
            "whispered back. Orla walked on. Ivy Lane waited by the gate. Ivy Lane "
            "laughed at her."
        ]
    )
    assert "Gloaming Forest" not in names(cast)
    assert "Ivy Lane" in names(cast)


def test_a_full_name_spelled_once_family_name_first_names_the_character() -> None:
    # "Tsukamori", Japanese syllables never used alone nor in lower case, is a family
    # name written first, as fans write Japanese names: the fullest name the text gives.
    text = (
        "Kestrel ran along the ridge. Kestrel stopped at the cairn and waited. "
        "Odo had heard of Tsukamori Kestrel from the traders. Kestrel laughed."
    )
    cast = find_characters([text])
    assert "Tsukamori Kestrel" in names(cast)
    assert {"Kestrel", "Tsukamori Kestrel"} <= set(character(cast, "Tsukamori Kestrel").aliases)


def test_a_word_before_a_name_that_is_no_japanese_family_name_is_left_out() -> None:
    text = (
        "Kestrel ran along the ridge. Kestrel stopped at the cairn and waited. "
        "Odo had heard of Headmistress Kestrel from the traders, of Varrow Kestrel "
        "from the miller and of Kasa Kestrel from the kasa seller."
    )
    found = names(find_characters([text]))
    assert "Kestrel" in found
    assert not {"Headmistress Kestrel", "Varrow Kestrel", "Kasa Kestrel"} & set(found)


def test_a_name_written_as_one_and_as_many_is_a_people_or_a_family() -> None:
    # "an Elder", "the Elders": a people; "the Marrows": a family, though Tam Marrow is one.
    cast = find_characters(
        [
            "Tam Marrow woke in an Elder bed. The Elders had built the city. Tam found the "
            "Elder archive, and the Elder machine hummed. The Marrows were far away. "
            "Tam smiled. The Elder lights went out. Tam laughed."
        ]
    )
    assert "Tam Marrow" in names(cast)
    assert not {"Elder", "Elders", "Marrows"} & set(names(cast))


def test_a_person_whose_name_is_also_said_of_many_stays_a_person() -> None:
    cast = find_characters(
        [
            "Hollin climbed onto the cart. Hollin shouted at the crowd, and Hollin waved his "
            "hat. The Hollins of this world always shout, Tam thought. Hollin laughed."
        ]
    )
    assert "Hollin" in names(cast)
    assert "Hollins" not in names(cast)
