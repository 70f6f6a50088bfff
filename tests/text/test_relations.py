"""Stage ``relations``: pairs from shared paragraphs, and crowds left out."""

from __future__ import annotations

import pytest

from fanfold.text.characters import Cast, Character, Mention
from fanfold.text.relations import find_relations, relationship_tags
from fanfold.text.spans import Span


def cast_named_in(text: str, names: list[str]) -> Cast:
    characters = tuple(Character(name, (name,), None, 1) for name in names)
    mentions = []
    for index, name in enumerate(names):
        start = text.index(name)
        mentions.append(Mention(Span(start, start + len(name)), index))
    return Cast(characters, (tuple(sorted(mentions, key=lambda m: m.span)),))


def test_two_characters_in_a_paragraph_are_related() -> None:
    text = "Anna kissed Bo."
    cast = cast_named_in(text, ["Anna", "Bo"])
    [relation] = find_relations([text], cast)
    assert (relation.kind, relation.interactions) == ("romantic", 1)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("Anna is Bo's BEST  Friend.", "best  friend"),  # a phrase: only spaces between
        ("Anna and Bo, best friends, LAUGHED.", "friends"),  # "best friends" is no phrase
        ("Anna, best, friend of Bo.", "friend"),
    ],
)
def test_relation_words_ignore_case_and_phrases_allow_only_spaces(text: str, word: str) -> None:
    [relation] = find_relations([text], cast_named_in(text, ["Anna", "Bo"]))
    assert (relation.kind, relation.cue) == ("friendship", f"1 shared paragraphs; {word}")


def test_a_paragraph_naming_a_crowd_relates_no_pair() -> None:
    # A guest list is not a scene; and its pairs would grow with the square of it.
    names = [f"Guest{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(40)]
    text = "At the ball were " + ", ".join(names) + "."
    assert find_relations([text], cast_named_in(text, names)) == ()


def test_a_kin_word_someone_owns_makes_family_even_beside_love() -> None:
    text = "Wren hugged her father Tom and told him she loved the lighthouse."
    [relation] = find_relations([text], cast_named_in(text, ["Wren", "Tom"]))
    assert relation.kind == "family"
    assert "her father" in relation.cue


def test_a_romance_word_in_another_sentence_weighs_less_than_a_friendly_one_beside_both() -> None:
    text = "Wren and Gull laughed together on the pier. Later, she kissed the ferryman."
    [relation] = find_relations([text], cast_named_in(text, ["Wren", "Gull"]))
    assert relation.kind == "friendship"


def test_a_kin_word_tied_to_neither_of_the_pair_is_only_a_word() -> None:
    text = "Wren kissed Tom, then talked about her father until the lamp went out."
    [relation] = find_relations([text], cast_named_in(text, ["Wren", "Tom"]))
    assert relation.kind == "romantic"


def test_relationship_tags_are_between_suggested_characters_and_at_most_two() -> None:
    text = "Anna kissed Bo, and Cai hugged Dag while Eli laughed with Fay."
    names = ["Anna", "Bo", "Cai", "Dag", "Eli", "Fay"]
    cast = cast_named_in(text, names)
    relations = find_relations([text], cast)
    tags = relationship_tags(relations, cast, min_score=0.0)
    assert len(tags) == 2
    among = relationship_tags(relations, cast, min_score=0.0, among={"Anna", "Bo"})
    assert among == ("Anna/Bo",)
