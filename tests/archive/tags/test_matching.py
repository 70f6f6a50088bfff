"""From the story's names to the fandom's canonical tags.

``tags.matching`` promises: a suggested character becomes the canonical tag
its name or an alias names in full, by first name, or (failing both) by
another name part, also through a synonym's name; two canonical tags at the
strongest level leave the story's name, with a note naming both; a name
part never takes a tag another suggestion names more strongly; a
relationship becomes its people's tags, ordered as a canonical relationship
tag of the two orders them.
"""

from __future__ import annotations

from fanfold.archive.tags.matching import (
    CanonTag,
    FandomCanon,
    match_characters,
    match_relationship,
    match_suggestions,
)

GREYS = FandomCanon(
    characters=(
        CanonTag("Derek Shepherd"),
        CanonTag("Lexie Grey", ("Lex Grey",)),
        CanonTag("Mark Sloan", ('Mark "McSteamy" Sloan',)),
        CanonTag("Meredith Grey"),
    ),
    relationships=(CanonTag("Lexie Grey/Mark Sloan", ("Mark/Lexie",)),),
)


def tags(*suggestions: tuple[str, tuple[str, ...]]) -> list[str]:
    return [match.tag for match in match_characters(list(suggestions), GREYS)]


def test_lex_and_lexie_both_become_the_canonical_lexie_grey() -> None:
    assert tags(("Lexie", ())) == ["Lexie Grey"]
    assert tags(("Lex", ())) == ["Lexie Grey"]  # the first name of her synonym "Lex Grey"
    assert tags(("Lexie", ("Lex", "Lexie"))) == ["Lexie Grey"]


def test_a_first_name_becomes_the_fandoms_full_name_when_that_tag_exists() -> None:
    assert tags(("Derek", ())) == ["Derek Shepherd"]
    assert tags(("Cristina", ("Yang",))) == ["Cristina"]  # no such tag in the fandom
    assert match_characters([("Derek", ())], FandomCanon())[0].canonical is False


def test_an_alias_naming_the_tag_in_full_wins_over_a_first_name() -> None:
    canon = FandomCanon((CanonTag("Mark Sloan"), CanonTag("Mark Twain")))
    assert [m.tag for m in match_characters([("Mark", ("Mark Sloan",))], canon)] == ["Mark Sloan"]


def test_two_canonical_tags_sharing_the_first_name_keep_the_storys_name_and_say_so() -> None:
    canon = FandomCanon((CanonTag("Mark Sloan"), CanonTag("Mark Twain")))
    (mark,) = match_characters([("Mark", ())], canon)
    assert (mark.tag, mark.canonical) == ("Mark", False)
    assert "Mark Sloan or Mark Twain" in mark.note


def test_a_surname_alone_does_not_take_the_tag_of_a_character_named_in_full() -> None:
    # Mark Sloan's daughter "Sloan" is not Mark Sloan.
    assert tags(("Mark Sloan", ("Mark",)), ("Sloan", ())) == ["Mark Sloan", "Sloan"]
    assert tags(("Shepherd", ())) == ["Derek Shepherd"]
    assert tags(("Grey", ())) == ["Grey"]  # Lexie or Meredith


def test_a_relationship_takes_its_peoples_tags_in_the_canonical_relationships_order() -> None:
    people = {"Mark": "Mark Sloan", "Lexie": "Lexie Grey"}
    assert match_relationship("Mark/Lexie", people, GREYS).tag == "Lexie Grey/Mark Sloan"
    assert match_relationship("Mark Sloan/Lexie Grey", {}, GREYS).tag == "Lexie Grey/Mark Sloan"
    platonic = match_relationship("Mark & Lexie", people, GREYS)
    assert (platonic.tag, platonic.canonical) == ("Mark Sloan & Lexie Grey", False)
    assert match_relationship("Derek/Meredith", {}, GREYS).tag == "Derek/Meredith"


def test_suggestions_map_their_relationships_through_the_same_characters() -> None:
    people, pairs = match_suggestions(
        [("Mark Sloan", ("Mark",)), ("Lexie", ("Lex",)), ("Derek", ())],
        ["Mark Sloan/Lexie", "Mark Sloan & Derek"],
        GREYS,
    )
    assert [m.tag for m in people] == ["Mark Sloan", "Lexie Grey", "Derek Shepherd"]
    assert [m.tag for m in pairs] == ["Lexie Grey/Mark Sloan", "Mark Sloan & Derek Shepherd"]
