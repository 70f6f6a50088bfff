"""Stage ``relations``: pairs from shared paragraphs, and crowds left out."""

from __future__ import annotations

import re

import pytest

from fanfold.text.characters import Cast, Character, Mention
from fanfold.text.relations import Relation, find_relations, relationship_tags
from fanfold.text.spans import Span


def cast_named_in(text: str, names: list[str]) -> Cast:
    characters = tuple(Character(name, (name,), None, 1) for name in names)
    mentions = []
    for index, name in enumerate(names):
        for found in re.finditer(rf"\b{name}\b", text):
            mentions.append(Mention(Span(found.start(), found.end()), index))
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


def quoted(text: str, *said: tuple[str, int]) -> list[list[tuple[Span, int | None]]]:
    """Speakers for ``find_relations``: each quotation (its words, with their marks) and who."""
    spans: list[tuple[Span, int | None]] = []
    for words, speaker in said:
        start = text.index(words)
        spans.append((Span(start, start + len(words)), speaker))
    return [spans]


def kinds(relations: tuple[Relation, ...], cast: Cast) -> dict[frozenset[str], str]:
    names = [character.name for character in cast.characters]
    return {frozenset((names[r.a], names[r.b])): r.kind for r in relations}


def test_love_said_to_one_person_is_not_about_a_third_the_speech_names() -> None:
    # The seeds' pattern: she tells him she loves him while talking about his late daughter.
    text = (
        '"Jonah, I love you. I was cruel to you after Pell died," Mira said.\n\n'
        '"I know," Jonah said.'
    )
    cast = cast_named_in(text, ["Mira", "Jonah", "Pell"])
    said = quoted(text, ('"Jonah, I love you. I was cruel to you after Pell died,"', 0))
    said[0].append((Span(text.index('"I know,"'), text.index('"I know,"') + 9), 1))
    relations = find_relations([text], cast, speakers=said)
    found = kinds(relations, cast)
    assert found[frozenset({"Mira", "Jonah"})] == "romantic"
    assert found.get(frozenset({"Mira", "Pell"}), "friendship") != "romantic"
    [mira_jonah] = [r for r in relations if {r.a, r.b} == {0, 1}]
    assert "love you" in mira_jonah.cue


def test_two_characters_sharing_a_family_name_are_kin_even_beside_love() -> None:
    text = "Oren Vale sat by the grave where Vale lay. Oren had loved her more than the sea."
    characters = (
        Character("Oren Vale", ("Oren", "Oren Vale"), None, 2),
        Character("Vale", ("Vale",), None, 1),
    )
    mentions = (
        Mention(Span(0, 9), 0),
        Mention(Span(text.index("Vale lay"), text.index("Vale lay") + 4), 1),
        Mention(Span(text.index("Oren had"), text.index("Oren had") + 4), 0),
    )
    [relation] = find_relations([text], Cast(characters, (mentions,)))
    assert relation.kind == "family"
    assert "both named Vale" in relation.cue


@pytest.mark.parametrize(
    ("text", "kind", "cue"),
    [
        ("Tamsin waved at her girlfriend, Ivo, across the square.", "romantic", "her girlfriend"),
        ("Ivo's best friend Tamsin said she loved the rain.", "friendship", "ivo's best friend"),
        ("Tamsin's brother Ivo kissed the bride.", "family", "tamsin's brother"),
    ],
)
def test_a_bond_word_one_of_them_owns_names_the_relation(text: str, kind: str, cue: str) -> None:
    [relation] = find_relations([text], cast_named_in(text, ["Tamsin", "Ivo"]))
    assert relation.kind == kind
    assert cue in relation.cue


def test_a_romance_word_in_a_shared_paragraph_yields_to_a_romance_either_has_elsewhere() -> None:
    text = (
        "Mira kissed Jonah at the gate.\n\n"
        "Mira walked past the old tree. Pell followed. Lovers carve their names in it."
    )
    cast = cast_named_in(text, ["Mira", "Jonah", "Pell"])
    found = kinds(find_relations([text], cast), cast)
    assert found[frozenset({"Mira", "Jonah"})] == "romantic"
    assert found[frozenset({"Mira", "Pell"})] != "romantic"


def test_talk_of_ones_own_family_is_no_bond_with_the_listener() -> None:
    text = '"My dad taught me that, and your mother agreed," Ivo told Tamsin.'
    cast = cast_named_in(text, ["Ivo", "Tamsin"])
    said = quoted(text, ('"My dad taught me that, and your mother agreed,"', 0))
    [relation] = find_relations([text], cast, speakers=said)
    assert relation.kind != "family"


@pytest.mark.parametrize(
    ("words", "kind"),
    [
        ("You're my best friend, Tamsin", "friendship"),
        ("Tamsin, I am your brother", "family"),
        ("Tamsin, I hate you", "conflict"),
    ],
)
def test_what_one_says_to_the_other_about_the_two_of_them_names_the_relation(
    words: str, kind: str
) -> None:
    text = f'"{words}," Ivo said. Tamsin stared at Ivo.'
    cast = cast_named_in(text, ["Ivo", "Tamsin"])
    said = quoted(text, (f'"{words},"', 0))
    [relation] = find_relations([text], cast, speakers=said)
    assert relation.kind == kind


def test_romance_words_only_near_two_of_one_family_name_leave_them_kin() -> None:
    # A father and son share paragraphs where love is in the air, but no sentence
    # names both with it and neither says it to the other: they stay family.
    paragraph = (
        "Oren Vale made up the bed in the spare room. Tam Vale stood at the window. "
        "Down in the square a couple kissed, and the song on the radio was about a broken heart."
    )
    text = "\n\n".join([paragraph] * 3)
    cast = cast_named_in(text, ["Oren Vale", "Tam Vale"])
    [relation] = find_relations([text], cast)
    assert relation.kind == "family"
    assert "both named Vale" in relation.cue


def test_a_romance_said_between_two_of_one_family_name_is_a_romance() -> None:
    text = '"Tam Vale, I love you," Oren Vale said. "Marry me."'
    cast = cast_named_in(text, ["Oren Vale", "Tam Vale"])
    first = Span(0, text.index(',"') + 2)
    second = Span(text.index('"Marry'), len(text))
    speakers = [[(first, 0), (second, 0)]]
    [relation] = find_relations([text], cast, speakers=speakers)
    assert relation.kind == "romantic"
