"""Speaker attribution on small passages written for these tests."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from fanfold.text.attribution import SPEECH_VERBS, attribute_speakers
from fanfold.text.characters import Cast, Character, Mention, find_characters
from fanfold.text.dialogue import find_quotes
from fanfold.text.spans import Span

# Name -> (aliases, gender). Mentions are every whole-word occurrence of an alias.
TEAM = {
    "Ruby Rose": (("Ruby", "Ruby Rose"), "she"),
    "Yang Xiao Long": (("Yang",), "she"),
    "Jaune Arc": (("Jaune", "Jaune Arc"), "he"),
}


def cast_for(text: str, people: dict[str, tuple[tuple[str, ...], str]] = TEAM) -> Cast:
    characters = tuple(
        Character(name, aliases, gender, 0)  # type: ignore[arg-type]
        for name, (aliases, gender) in people.items()
    )
    mentions: list[Mention] = []
    taken: set[int] = set()
    for index, (_, (aliases, _)) in enumerate(people.items()):
        for alias in sorted(aliases, key=len, reverse=True):
            for match in re.finditer(rf"\b{re.escape(alias)}\b", text):
                if match.start() not in taken:
                    taken.add(match.start())
                    mentions.append(Mention(Span(match.start(), match.end()), index))
    return Cast(characters, (tuple(sorted(mentions, key=lambda m: m.span.start)),))


def names_of_speakers(text: str, cast: Cast) -> list[str | None]:
    """Who speaks each quotation of ``text``, by name, with ``cast`` (a found one, say)."""
    return [
        cast.characters[a.speaker].name if a.speaker is not None else None
        for a in attribute_speakers(text, find_quotes(text), cast)
    ]


def speakers(text: str) -> list[tuple[str | None, str]]:
    cast = cast_for(text)
    result = []
    for attribution in attribute_speakers(text, find_quotes(text), cast):
        name = None if attribution.speaker is None else cast.characters[attribution.speaker].name
        result.append((name, attribution.method))
    return result


def test_explicit_tags_after_and_before_the_quote() -> None:
    text = (
        '"The bridge is out," said Jaune.\n\n'
        'Ruby frowned and replied, "Then we climb."\n\n'
        '"Climb what?" Yang asked.'
    )
    assert speakers(text) == [
        ("Jaune Arc", "explicit"),
        ("Ruby Rose", "explicit"),
        ("Yang Xiao Long", "explicit"),
    ]


def test_a_tag_before_the_quote_may_do_something_first() -> None:
    text = (
        "Ruby and Jaune reached the wall.\n\n"
        'As she watched the gate, Jaune took a deep breath and said, "We climb."\n\n'
        'As she started to hug him, he took one last look and whispered, "Now."'
    )
    assert speakers(text) == [("Jaune Arc", "explicit"), ("Jaune Arc", "pronoun")]


def test_explicit_tag_between_parts_of_an_interrupted_quote() -> None:
    text = 'Ruby sat down.\n\n"Fine," Jaune muttered, "I will carry the bags."'
    assert speakers(text) == [("Jaune Arc", "explicit")]


def test_pronoun_goes_to_the_latest_character_of_that_gender() -> None:
    text = (
        "Jaune dropped his sword and Ruby picked it up.\n\n"
        '"You keep doing that," she said.\n\n'
        '"It slips," he said.'
    )
    assert speakers(text) == [("Ruby Rose", "pronoun"), ("Jaune Arc", "pronoun")]


def test_a_pronoun_never_means_someone_its_own_clause_names_after_it() -> None:
    # Both men are in the scene; turn-taking and recency both point at Jaune, but the
    # "he" who pushes a cup across to Jaune cannot be Jaune: it is the other man.
    people = {**TEAM, "Qrow Branwen": (("Qrow",), "he")}
    text = (
        "Qrow sat down across from Jaune.\n\n"
        '"Rough week," Jaune said.\n\n'
        '"Drink this," he says, and pushes the cup into Jaune\'s hands.'
    )
    cast = cast_for(text, people)
    found = attribute_speakers(text, find_quotes(text), cast)
    names = [cast.characters[a.speaker].name if a.speaker is not None else None for a in found]
    assert names == ["Jaune Arc", "Qrow Branwen"]


def test_his_or_her_kin_speaks_and_is_never_the_one_the_possessive_points_back_to() -> None:
    # Ruby is the latest woman named, but "her sister" cannot be Ruby herself.
    text = (
        "Yang sat on the wall.\n\n"
        '"The bridge is out," Ruby said.\n\n'
        "Ruby kicked the gate. Ruby kicked it again.\n\n"
        '"Then we wait," her sister replies.'
    )
    assert speakers(text) == [("Ruby Rose", "explicit"), ("Yang Xiao Long", "pronoun")]


def test_a_pronoun_means_whom_its_own_paragraph_just_named_over_turn_taking() -> None:
    # Turn-taking expects Qrow again (two turns back); the paragraph names Jaune first.
    people = {**TEAM, "Qrow Branwen": (("Qrow",), "he")}
    text = (
        "Jaune and Ruby found Qrow at the crossroads.\n\n"
        '"Who has the map?" Qrow asked.\n\n'
        '"Not me," Ruby said.\n\n'
        'Jaune sighed. "Then we are lost," he said.'
    )
    cast = cast_for(text, people)
    found = attribute_speakers(text, find_quotes(text), cast)
    names = [cast.characters[a.speaker].name if a.speaker is not None else None for a in found]
    assert names == ["Qrow Branwen", "Ruby Rose", "Jaune Arc"]


def test_a_speaker_who_says_who_they_are_is_that_character() -> None:
    people = {**TEAM, "Qrow Branwen": (("Qrow",), "he")}
    text = (
        "Jaune waited at the crossroads until a man walked up.\n\n"
        '"I\'m Qrow," he said. "You must be the new one."\n\n'
        '"My name is Jaune Arc," he said, "and I am not new."\n\n'
        '"I\'m Ruby\'s uncle," said the man, "so be nice."'
    )
    cast = cast_for(text, people)
    found = attribute_speakers(text, find_quotes(text), cast)
    named = [(cast.characters[a.speaker].name, a.method) for a in found if a.speaker is not None]
    assert named[:2] == [("Qrow Branwen", "introduction"), ("Jaune Arc", "introduction")]
    assert all(name != "Ruby Rose" for name, _ in named)  # "I'm Ruby's uncle" is not Ruby


def test_turn_taking_alternates_through_untagged_lines() -> None:
    text = (
        "The forest was quiet.\n\n"
        '"Did you hear that?" asked Ruby.\n\n'
        '"Hear what?" said Jaune.\n\n'
        '"Branches. Something big."\n\n'
        '"You are imagining things."\n\n'
        '"I am not."'
    )
    assert [name for name, _ in speakers(text)] == [
        "Ruby Rose",
        "Jaune Arc",
        "Ruby Rose",
        "Jaune Arc",
        "Ruby Rose",
    ]
    assert speakers(text)[2][1] == "turn_taking"


def test_vocative_names_the_listener_who_then_replies() -> None:
    text = (
        "Ruby and Yang and Jaune walked the wall at dusk.\n\n"
        '"Damn it, Yang! Slow down," Ruby said.\n\n'
        '"Make me."'
    )
    assert speakers(text) == [("Ruby Rose", "explicit"), ("Yang Xiao Long", "vocative")]


def test_addressee_in_the_quote_is_not_its_speaker() -> None:
    text = 'Yang leaned on the rail beside Ruby.\n\n"Ruby, you worry too much."'
    name, _ = speakers(text)[0]
    assert name == "Yang Xiao Long"


def test_paragraph_subject_speaks_an_untagged_quote() -> None:
    text = 'It rained all night.\n\nJaune shook the water from his hood. "Never again."'
    assert speakers(text) == [("Jaune Arc", "paragraph_mention")]


def test_markdown_emphasis_around_speech_hides_neither_tag_nor_subject() -> None:
    # Exports from FanFiction.Net often bold a chapter's dialogue: **"..."**.
    text = (
        'Jaune ran down the hall.\n\n**"Stop!"** Ruby bellowed after him.\n\n'
        'Yang leaned on the doorframe.\n\n**"Let him go."** She looked bored.'
    )
    assert speakers(text) == [("Ruby Rose", "explicit"), ("Yang Xiao Long", "paragraph_mention")]


def test_a_conversations_first_line_is_not_said_by_the_one_who_answers_it() -> None:
    text = (
        "Ruby watched Jaune stack the crates by the door.\n\n"
        '"You look bored."\n\n"I am bored," Ruby said.'
    )
    assert [name for name, _ in speakers(text)] == ["Jaune Arc", "Ruby Rose"]


def test_a_description_tag_is_not_the_one_its_paragraph_calls_by_name() -> None:
    people = {"Oren": (("Oren",), "he"), "Jaune Arc": (("Jaune",), "he")}
    text = (
        "Oren followed Jaune down to the lake. Jaune skipped a stone across it.\n\n"
        '"Can I try?" the boy asked. Jaune raised his eyebrows.'
    )
    cast = cast_for(text, people)
    [said] = attribute_speakers(text, find_quotes(text), cast)
    assert said.speaker is not None
    assert cast.characters[said.speaker].name == "Oren"


def test_fan_fictions_everyday_speech_verbs_tag_speakers() -> None:
    text = (
        '"I could carry it," Jaune offered.\n\n"You could," Ruby scoffed.\n\n'
        '"Later, then," Yang deadpanned.'
    )
    assert speakers(text) == [
        ("Jaune Arc", "explicit"),
        ("Ruby Rose", "explicit"),
        ("Yang Xiao Long", "explicit"),
    ]


def test_colon_lead_in_paragraph_names_the_speaker() -> None:
    text = "Yang cracked her knuckles and announced to the room:\n\n" + '"Breakfast is mine."'
    assert speakers(text)[0][0] == "Yang Xiao Long"


def test_first_person_narrator_is_the_one_addressed_but_not_named() -> None:
    people = {"Jaune Arc": (("Jaune",), "he"), "Ren": (("Ren",), "he")}
    lines = []
    for turn in range(4):
        lines.append(f'"Ren, look at this," I said. "Number {turn}."')
        lines.append('"Later, Ren," said Jaune. "It is late."')
    text = "\n\n".join(lines)
    cast = cast_for(text, people)
    result = attribute_speakers(text, find_quotes(text), cast)
    assert [cast.characters[a.speaker].name for a in result if a.speaker is not None][:2] == [
        "Ren",
        "Jaune Arc",
    ]
    assert result[0].method == "narrator"


def test_confidence_is_highest_for_explicit_tags() -> None:
    text = '"Go," said Ruby.\n\n"Where?"\n\n"Anywhere."'
    cast = cast_for(text)
    result = attribute_speakers(text, find_quotes(text), cast)
    assert result[0].confidence > result[2].confidence > 0
    assert all(0.0 <= a.confidence <= 1.0 for a in result)


def test_no_quotes_and_empty_cast() -> None:
    assert attribute_speakers("Nothing said.", (), cast_for("")) == ()
    text = '"Hello?"'
    (only,) = attribute_speakers(text, find_quotes(text), Cast((), ((),)))
    assert only.speaker is None


def test_speech_verb_lexicon_is_large() -> None:
    assert {"said", "cried", "replied", "asked", "whispered"} <= SPEECH_VERBS
    assert len(SPEECH_VERBS) > 200


@given(st.text(alphabet=st.sampled_from("ab Ruby Jaune said he she \"“”'\n.,!?:—")))
def test_any_text_gives_one_attribution_per_quote(text: str) -> None:
    cast = cast_for(text)
    quotes = find_quotes(text)
    result = attribute_speakers(text, quotes, cast)
    assert [a.quote for a in result] == list(quotes)
    for attribution in result:
        assert attribution.speaker is None or 0 <= attribution.speaker < len(cast.characters)
        assert 0.0 <= attribution.confidence <= 1.0


def test_form_of_address_is_learnt_from_tagged_replies() -> None:
    people = {"Taiyang": (("Taiyang",), "he"), "Yang": (("Yang",), "she")}
    exchanges = []
    for topic in ("bread", "milk", "eggs"):
        exchanges.append(f'"We need {topic}, Dad."\n\n"Then buy {topic}," said Taiyang.')
    # Untagged: "Dad" names the listener, so the reply comes from Taiyang.
    exchanges.append('Yang shut the door.\n\n"Dad, the car is gone."\n\n"Sold it."')
    text = "\n\nThe kitchen went quiet.\n\n".join(exchanges)
    cast = cast_for(text, people)
    result = attribute_speakers(text, find_quotes(text), cast)
    assert cast.characters[result[-1].speaker or 0].name == "Taiyang"
    assert result[-1].method == "vocative"


def test_bare_surname_entry_counts_as_the_character_it_repeats() -> None:
    people = {
        "James Harthouse": (("James Harthouse", "Mr. Harthouse"), "he"),
        "Harthouse": (("Harthouse",), "he"),
    }
    text = '"A dull town," said Harthouse.'
    cast = cast_for(text, people)
    (only,) = attribute_speakers(text, find_quotes(text), cast)
    assert only.speaker == 0


def test_a_character_the_story_only_describes_speaks_under_that_description() -> None:
    text = (
        "Wren walked into the station house.\n\n"
        '"You again," the sheriff sighs.\n\n'
        '"Me again," said Wren.\n\n'
        '"Sit down," said the sheriff, pointing at the bench.'
    )
    cast = find_characters([text])
    assert "the sheriff" in [c.name for c in cast.characters]
    said = names_of_speakers(text, cast)
    assert said == ["the sheriff", "Wren", "the sheriff"]


def test_the_reader_of_a_second_person_story_speaks_when_you_do() -> None:
    text = (
        "You follow the lantern down to the harbour, your boots wet, your hands cold. "
        "Wren waits for you by the boats.\n\n"
        '"You came," Wren said. "I knew you would, Y/N-chan."\n\n'
        '"Of course I came," you said.\n\n'
        '"Then get in," Wren said.\n\n'
        '"Where are we going?" you asked.'
    )
    cast = find_characters([text])
    reader = next(c for c in cast.characters if c.name == "Reader")
    assert "Y/N-chan" in reader.aliases
    said = names_of_speakers(text, cast)
    assert said == ["Wren", "Reader", "Wren", "Reader"]


def test_in_a_second_person_story_you_acting_beside_untagged_speech_is_the_speaker() -> None:
    text = (
        "You follow the lantern down to the harbour, your boots wet, your hands cold. "
        "Wren waits for you by the boats, and you wave to her.\n\n"
        '"You came," Wren said. "I knew you would, Y/N-chan."\n\n'
        '"I lost the map..." You sank onto a crate, and Wren laughed at you.\n\n'
        '"Then I lead," Wren said.'
    )
    cast = find_characters([text])
    said = names_of_speakers(text, cast)
    assert said == ["Wren", "Reader", "Wren"]


def test_a_described_speaker_keeps_its_qualified_forms_as_aliases() -> None:
    text = (
        "Wren crept along the ash. A thin, hooded figure stepped out of the smoke.\n\n"
        "'Halt,' the hooded sentry croaked.\n\n"
        "'Let me pass,' Wren said.\n\n"
        "'Nobody passes,' the sentry muttered. The hooded sentry raised a hand.\n\n"
        "'Then I go round,' Wren said."
    )
    cast = find_characters([text])
    sentry = next(c for c in cast.characters if c.name == "the sentry")
    assert "the hooded sentry" in sentry.aliases
    assert names_of_speakers(text, cast) == ["the sentry", "Wren", "the sentry", "Wren"]


def test_a_story_that_says_you_only_in_dialogue_has_no_reader() -> None:
    text = '"You came," Wren said.\n\n"You asked me to," said Gull. "You always do."'
    assert "Reader" not in [c.name for c in find_characters([text]).characters]


def test_a_first_person_narrator_is_the_one_the_dialogue_names_and_the_narration_does_not() -> None:
    text = (
        "I got to the harbour before Gull did, which never happens.\n\n"
        '"Wren is early," Gull told the ferryman when he came. "Wren is never early."\n\n'
        '"I couldn\'t sleep," I said.\n\n'
        '"Neither could Wren\'s lamp, I hear," Gull said.\n\n'
        '"That lamp is fine," I said.\n\n'
        '"Ask Wren about the storm," the ferryman said to Gull.\n\n'
        '"Later," I said.'
    )
    cast = find_characters([text])
    said = [
        cast.characters[a.speaker].name if a.speaker is not None else None
        for a in attribute_speakers(text, find_quotes(text), cast)
        if a.method == "narrator"
    ]
    assert said == ["Wren", "Wren", "Wren"]


def narrators(text: str) -> set[str]:
    """Whom the narrator rule names as the "I" of a text, with the cast found in it."""
    cast = find_characters([text])
    return {
        cast.characters[a.speaker].name
        for a in attribute_speakers(text, find_quotes(text), cast)
        if a.method == "narrator" and a.speaker is not None
    }


def test_the_narrator_is_the_one_most_talked_to_not_a_stranger_only_spoken_of() -> None:
    text = (
        "Gull met me on the pier. Everyone in town still called me Wren the lamp girl.\n\n"
        '"Wren, Mrs. Tally wants her boat back," Gull said.\n\n'
        '"Mrs. Tally can wait," I said.\n\n'
        '"Wren, please. Mrs. Tally is not a patient woman," Gull said.\n\n'
        '"Neither am I," I said.\n\n'
        '"Wren!" Gull said. "Wren, think of Mrs. Tally."\n\n'
        '"I am thinking," I said.'
    )
    assert narrators(text) == {"Wren"}


def test_the_narrator_addressed_by_name_wins_over_someone_only_talked_about() -> None:
    text = (
        "Gull found me at the lamp.\n\n"
        '"Mr. Tally sold the boat. Mr. Tally sold the nets. Mr. Tally sold it all," Gull said.\n\n'
        '"Did Mr. Tally say why?" I said.\n\n'
        '"Wren, Mr. Tally never says why," Gull said. "Mr. Tally just sells."\n\n'
        '"Then we buy it back," I said.\n\n'
        '"With what, Wren? And Wren, think."\n\n'
        '"I am thinking," I said.'
    )
    assert narrators(text) == {"Wren"}


def test_after_a_quotation_only_the_first_sentence_of_narration_names_its_speaker() -> None:
    # The narration's later sentences turn to someone else; the line is the other talker's.
    text = (
        "Jaune carried the bread over to Ruby.\n\n"
        '"Pass the salt," Ruby said.\n\n'
        '"Here." The wind howled outside. Yang slept on in the tent.\n\n'
        '"Thanks," Ruby said.'
    )
    assert [name for name, _ in speakers(text)] == ["Ruby Rose", "Jaune Arc", "Ruby Rose"]


def test_a_described_character_named_by_a_gendered_noun_has_that_gender() -> None:
    # Her pronouns crowd round "the wizard"; the noun itself says who "he" is.
    text = (
        "Ruby found the wizard by her door. She stared at the wizard and she frowned.\n\n"
        '"You are late," said the wizard.\n\n'
        '"I am never late," said Ruby. She folded her arms at the wizard.\n\n'
        '"Hm," the wizard muttered. She glared at him.\n\n'
        'The wizard shrugged at her. "As you say," he said.'
    )
    cast = find_characters([text])
    wizard = next(c for c in cast.characters if c.name == "the wizard")
    assert wizard.gender == "he"
    assert names_of_speakers(text, cast)[-1] == "the wizard"


def test_narration_after_a_quotation_speaks_when_the_narration_before_names_nobody() -> None:
    text = (
        "Ruby sat at the kitchen table.\n\n"
        'The kettle whistled. "Tea is ready." Jaune poured two cups.'
    )
    assert speakers(text) == [("Jaune Arc", "paragraph_mention")]


def test_surprise_right_after_a_line_is_the_listeners() -> None:
    text = (
        "Ruby and Jaune met Yang at the docks.\n\n"
        '"Are you coming?" Jaune asked Ruby.\n\n'
        '"I am leaving the team." Yang\'s eyes widened.\n\n'
        '"Since when?"'
    )
    assert [name for name, _ in speakers(text)] == ["Jaune Arc", "Ruby Rose", "Yang Xiao Long"]


def test_a_paragraph_a_blank_line_cuts_mid_sentence_is_one_turn() -> None:
    # Some copies of hard-wrapped stories keep a blank line at every wrap.
    text = (
        "Ruby and Jaune climbed the old tower.\n\n"
        'Footsteps rang on the stairs. "Wait!" Yang\'s voice echoed up\n\n'
        'the stairwell. "Are you hurt?"'
    )
    assert [name for name, _ in speakers(text)] == ["Yang Xiao Long", "Yang Xiao Long"]


def test_a_tag_naming_someones_someone_is_the_one_owned() -> None:
    people = {**TEAM, "Zwei": (("Zwei",), "he")}
    text = 'Ruby called from the porch.\n\n"Dinner," Ruby\'s Zwei barked back at her.'
    cast = cast_for(text, people)
    said = [
        cast.characters[a.speaker].name
        for a in attribute_speakers(text, find_quotes(text), cast)
        if a.speaker is not None
    ]
    assert said == ["Zwei"]


def test_a_name_no_tag_ever_shows_speaking_is_the_last_guess_for_a_line() -> None:
    people = {**TEAM, "Zwei": (("Zwei",), "he")}
    text = (
        "Jaune and Ruby sat under a picture of Zwei.\n\n"
        '"Any news?" Ruby asked.\n\n'
        '"None."\n\n'
        "The fire burned low.\n\n"
        '"Goodnight," said Jaune.'
    )
    cast = cast_for(text, people)
    said = [
        None if a.speaker is None else cast.characters[a.speaker].name
        for a in attribute_speakers(text, find_quotes(text), cast)
    ]
    assert said == ["Ruby Rose", "Jaune Arc", "Jaune Arc"]


def test_he_said_means_someone_a_tag_shows_speaking_before_one_never_heard() -> None:
    people = {**TEAM, "Zwei": (("Zwei",), "he")}
    text = (
        '"We leave at dawn," said Jaune.\n\n'
        "Jaune checked the map. Jaune folded it. Jaune put it away. Jaune sat down. "
        "Jaune stood up. The house went quiet. Down in the yard Zwei dozed in the sun.\n\n"
        '"Better pack, then," he said.'
    )
    cast = cast_for(text, people)
    said = [
        None if a.speaker is None else cast.characters[a.speaker].name
        for a in attribute_speakers(text, find_quotes(text), cast)
    ]
    assert said == ["Jaune Arc", "Jaune Arc"]


def test_he_said_may_mean_a_lead_no_tag_names() -> None:
    # A story's lead often speaks only as "he": named often, he counts as heard.
    people = {**TEAM, "Oscar": (("Oscar",), "he")}
    text = (
        '"Coffee?" asked Oscar.\n\n'
        "Jaune stretched. Jaune yawned. Jaune rubbed his eyes. Jaune looked at the clock.\n\n"
        '"Later," he said.'
    )
    cast = cast_for(text, people)
    said = [
        None if a.speaker is None else cast.characters[a.speaker].name
        for a in attribute_speakers(text, find_quotes(text), cast)
    ]
    assert said == ["Oscar", "Jaune Arc"]
