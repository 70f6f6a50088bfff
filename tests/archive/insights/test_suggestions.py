"""The author's suggested tags, with their evidence, mapped to the fandom's canonical tags.

``insights.suggestions`` promises: nothing when the author turned reading
off; the reading's state while there is nothing to suggest yet (or it
failed, and whether it will be retried); each suggested character with how
often the story names them and the lines they speak, each relationship
with how often the two meet and a few excerpts where they do; the
fandom's canonical tags where they exist; one suggestion per tag; and
suggestions already on the work marked added. A fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from fanfold.archive.insights import services
from fanfold.archive.insights.models import AnalysisState, WorkAnalysis
from fanfold.archive.insights.suggestions import suggestions_for
from fanfold.archive.people.models import User
from fanfold.archive.tags.models import TagType
from fanfold.archive.works.models import Rating, Work
from fanfold.archive.works.services import add_tag
from tests.archive.factories import make_work
from tests.archive.tags.test_selectors import GREYS, greys_canon

# Written for these tests: Mark Sloan, Lexie (also "Lex") and Derek on a ferry.
STORY = """Mark Sloan waited by the ferry rail until Lexie came up the ramp.

"You came," Mark said, and he took her hand. He had loved Lexie since the winter.

"I said I would," Lexie said. She kissed Mark once, quickly, and laughed.

Derek watched them from the bench. "Lex, he has been pacing for an hour," Derek said.

"Let him pace," Lex said. She leaned against Mark and he held her close.

Mark looked at Derek. "She is the one, Derek. I love her."

Derek nodded to Mark. "Then tell her before she finds out about you," Derek said, and Mark laughed.

Lexie kissed Mark again. The ferry pulled away from the pier and Mark kept his arm around Lexie.

"Home?" Lexie asked Mark. He kissed her hair. She loved him and Mark knew it.

"Home," Mark said to Lexie, his girlfriend, and she held his hand all the way across the water."""


def ferry_work(owner: User, *, read: bool = True, fandom: str = GREYS, **fields: Any) -> Work:
    """A posted work of the ferry story in the fandom, read by the engine when ``read``."""
    work = make_work(
        owner=owner,
        title="The Ferry",
        body=STORY,
        rating=Rating.TEEN,
        tags={
            TagType.WARNING: ["No Archive Warnings Apply"],
            TagType.FANDOM: [fandom],
            TagType.FREEFORM: ["Fluff"],
        },
        **fields,
    )
    if read:
        services.analyse_work(work_id=work.pk)
    return work


def test_suggestions_are_the_fandoms_canonical_tags_with_their_evidence(author: User) -> None:
    greys_canon()
    found = suggestions_for(ferry_work(author))
    assert found is not None
    assert found.state == AnalysisState.DONE
    assert [s.tag for s in found.characters] == ["Mark Sloan", "Lexie Grey", "Derek Shepherd"]
    lexie = found.characters[1]
    assert lexie.canonical
    assert lexie.named_as == ("Lexie",)
    assert lexie.mentions >= 8
    assert lexie.lines >= 2
    (pair,) = found.relationships
    assert pair.tag == "Lexie Grey/Mark Sloan"  # as the canonical relationship orders them
    assert pair.romantic
    assert pair.meetings >= 5
    assert 1 <= len(pair.excerpts) <= 3
    assert any("Lexie" in e and "Mark" in e for e in pair.excerpts)
    assert all(len(e) <= 160 for e in pair.excerpts)


def test_without_the_fandoms_canon_the_storys_names_are_suggested(author: User) -> None:
    found = suggestions_for(ferry_work(author, fandom="Some Other Show"))
    assert found is not None
    assert [s.tag for s in found.characters] == ["Mark Sloan", "Lexie", "Derek"]
    assert [s.tag for s in found.relationships] == ["Mark Sloan/Lexie"]
    assert not any(s.canonical for s in found.characters)


def test_a_suggestion_already_on_the_work_is_marked_added_even_as_a_synonym(
    author: User,
) -> None:
    greys_canon()
    work = ferry_work(author)
    add_tag(work=work, by=author, tag_type=TagType.CHARACTER, name="Lex Grey")
    found = suggestions_for(work)
    assert found is not None
    assert [s.added for s in found.characters] == [False, True, False]


def test_nothing_is_suggested_when_the_author_turned_reading_off(author: User) -> None:
    assert suggestions_for(ferry_work(author, read=False, analysis_enabled=False)) is None


def test_the_reading_state_is_told_while_there_is_nothing_to_suggest(author: User) -> None:
    work = ferry_work(author, read=False)
    unread = suggestions_for(work)
    assert unread is not None
    assert unread.state == "unread"
    services.mark_requested(work_id=work.pk)
    waiting = suggestions_for(work)
    assert waiting is not None
    assert waiting.reading
    assert not waiting.characters
    services.record_failure(work_id=work.pk, error=ValueError("the text is binary junk"))
    failed = suggestions_for(work)
    assert failed is not None
    assert failed.failed
    assert failed.will_retry
    assert failed.error == "ValueError: the text is binary junk"
    services.record_failure(work_id=work.pk, error=ValueError("again"))
    again = suggestions_for(work)
    assert again is not None
    assert not again.will_retry


def test_suggestions_cost_the_same_queries_for_a_longer_work_and_a_bigger_fandom(
    author: User, django_assert_max_num_queries: Any
) -> None:
    greys_canon()
    work = ferry_work(author)
    with django_assert_max_num_queries(6):
        suggestions_for(work)
    long_work = ferry_work(author, chapters=6)
    WorkAnalysis.objects.filter(work=long_work).update(state=AnalysisState.PENDING)
    services.analyse_work(work_id=long_work.pk, force=True)
    with django_assert_max_num_queries(6):
        found = suggestions_for(long_work)
    assert found is not None
    assert found.characters


def test_two_names_for_one_canonical_character_are_one_suggestion(author: User) -> None:
    greys_canon()
    work = ferry_work(author)
    # As if the engine had not seen that "Lex" is Lexie: two people, one tag.
    analysis = WorkAnalysis.objects.get(work=work)
    lex = {"name": "Lex", "aliases": ["Lex"], "gender": "she", "mentions": 2}
    analysis.cast = [*analysis.cast, lex]
    analysis.character_tags = [*analysis.character_tags, "Lex"]
    analysis.save()
    found = suggestions_for(work)
    assert found is not None
    (lexie,) = [s for s in found.characters if s.tag == "Lexie Grey"]
    assert lexie.named_as == ("Lexie", "Lex")
    assert lexie.mentions == analysis.cast[1]["mentions"] + 2
