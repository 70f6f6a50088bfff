"""Tags Fanfold suggests to a work's author, each with its evidence, mapped to canonical tags.

The engine's suggestions (``WorkAnalysis.character_tags`` and
``relationship_tags``) name people as the story does; here they become the
archive's canonical tags of the work's fandoms where those exist
(``tags.matching``), each with what the author needs to judge it: for a
character, how often the story names them and how many lines they speak;
for a relationship, how often the two meet and a few lines where they do.

Nothing is tagged here: the author adds a suggestion with a click
(``insights.views.add_suggestion``). A fixed number of queries whatever the
work's size or the fandom's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fanfold.archive.insights.models import AnalysisState, ChapterAnalysis, WorkAnalysis
from fanfold.archive.insights.tasks import MAX_ATTEMPTS
from fanfold.archive.tags.matching import Match, match_suggestions, split_relationship
from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.tags.selectors import fandom_canon
from fanfold.archive.works.models import Work


@dataclass(frozen=True, slots=True)
class CharacterSuggestion:
    tag: str
    canonical: bool
    named_as: tuple[str, ...]  # the story's names for them
    mentions: int
    lines: int
    added: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class RelationshipSuggestion:
    tag: str
    canonical: bool
    suggested: str
    romantic: bool
    meetings: int
    excerpts: tuple[str, ...]
    added: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class Suggestions:
    """What the author's panel shows: the reading's state and the suggestions."""

    state: str  # "unread", or an AnalysisState value
    error: str = ""
    will_retry: bool = False
    characters: list[CharacterSuggestion] = field(default_factory=list)
    relationships: list[RelationshipSuggestion] = field(default_factory=list)

    @property
    def reading(self) -> bool:
        return self.state in (AnalysisState.PENDING, AnalysisState.RUNNING)

    @property
    def failed(self) -> bool:
        return self.state == AnalysisState.FAILED

    def offers(self, tag_type: str, name: str) -> bool:
        """Whether ``name`` is among the suggested tags of this type."""
        offered = self.characters if tag_type == TagType.CHARACTER else self.relationships
        return any(s.tag.casefold() == name.casefold() for s in offered)


def suggestions_for(work: Work) -> Suggestions | None:
    """The author's suggestions for the work; None when they turned its reading off."""
    if not work.analysis_enabled:
        return None
    analysis = WorkAnalysis.objects.filter(work_id=work.pk).first()
    if analysis is None:
        return Suggestions(state="unread")
    state = Suggestions(
        state=analysis.state,
        error=analysis.error if analysis.state == AnalysisState.FAILED else "",
        will_retry=analysis.attempts < MAX_ATTEMPTS,
    )
    if not analysis.character_tags and not analysis.relationship_tags:
        return state
    on_work = list(
        Tag.objects.filter(works=work).values_list("type", "name", "merger__name").order_by()
    )
    added = {name.casefold() for _, *names in on_work for name in names if name}
    fandoms = [name for tag_type, name, _ in on_work if tag_type == TagType.FANDOM]
    people, pairs = match_suggestions(
        [(name, _aliases(analysis, name)) for name in analysis.character_tags],
        analysis.relationship_tags,
        fandom_canon(fandom_names=fandoms),
    )
    speech = ChapterAnalysis.objects.filter(analysis=analysis).values_list("speech", flat=True)
    return Suggestions(
        state=state.state,
        error=state.error,
        will_retry=state.will_retry,
        characters=_characters(analysis, people, _lines_spoken(speech), added),
        relationships=_relationships(analysis, pairs, added),
    )


def _aliases(analysis: WorkAnalysis, name: str) -> list[str]:
    person = next((c for c in analysis.cast if c["name"] == name), None)
    return list(person["aliases"]) if person else []


def _lines_spoken(speech_rows: Any) -> dict[str, int]:
    """Quotes per character (by cast index, as text), over the work's chapters."""
    lines: dict[str, int] = {}
    for speech in speech_rows:
        for character, (quotes, _words) in speech.items():
            lines[character] = lines.get(character, 0) + quotes
    return lines


def _characters(
    analysis: WorkAnalysis, matches: list[Match], lines: dict[str, int], added: set[str]
) -> list[CharacterSuggestion]:
    """One suggestion per tag: "Lex" and "Lexie" mapped to one tag are one, their counts summed."""
    index = {person["name"]: i for i, person in enumerate(analysis.cast)}
    by_tag: dict[str, CharacterSuggestion] = {}
    for match in matches:
        i = index.get(match.suggested)
        mentions = analysis.cast[i]["mentions"] if i is not None else 0
        spoken = lines.get(str(i), 0)
        key = match.tag.casefold()
        before = by_tag.get(key)
        by_tag[key] = CharacterSuggestion(
            tag=match.tag,
            canonical=match.canonical,
            named_as=(*before.named_as, match.suggested) if before else (match.suggested,),
            mentions=mentions + (before.mentions if before else 0),
            lines=spoken + (before.lines if before else 0),
            added=key in added,
            note=match.note,
        )
    return list(by_tag.values())


def _relationships(
    analysis: WorkAnalysis, matches: list[Match], added: set[str]
) -> list[RelationshipSuggestion]:
    index = {person["name"]: i for i, person in enumerate(analysis.cast)}
    suggestions: dict[str, RelationshipSuggestion] = {}
    for match in matches:
        people, separator = split_relationship(match.suggested)
        pair = {index.get(person) for person in people}
        relation = next((r for r in analysis.relations if {r["a"], r["b"]} == pair), None)
        evidence = next((e for e in analysis.evidence if {e["a"], e["b"]} == pair), None)
        suggestions.setdefault(
            match.tag.casefold(),
            RelationshipSuggestion(
                tag=match.tag,
                canonical=match.canonical,
                suggested=match.suggested,
                romantic=separator == "/",
                meetings=relation["interactions"] if relation else 0,
                excerpts=tuple(e["text"] for e in evidence["excerpts"]) if evidence else (),
                added=match.tag.casefold() in added,
            ),
        )
    return list(suggestions.values())
