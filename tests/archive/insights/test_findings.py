from __future__ import annotations

from fanfold.archive.insights import findings
from fanfold.archive.insights.findings import NO_SPEAKER, read_work
from tests.archive.insights.conftest import MORE_TALK, TALK


def _index(found: findings.WorkFindings, name: str) -> int:
    return next(i for i, person in enumerate(found.cast) if person["name"] == name)


def test_read_work_keeps_one_cast_across_chapters_and_counts_each_chapter_apart() -> None:
    found = read_work([(11, TALK), (12, MORE_TALK)])
    maren, tobias = _index(found, "Maren Holt"), _index(found, "Tobias")
    assert "Maren" in found.cast[maren]["aliases"]
    first, second = found.chapters
    assert (first.chapter_id, second.chapter_id) == (11, 12)
    assert first.presence[str(maren)] >= 2
    assert second.presence[str(maren)] >= 1
    assert first.speech[str(tobias)][0] == 2  # "You're late" and "I always do"
    assert first.speech[str(maren)] == [1, 7]  # one quote in two parts, seven words


def test_quotes_are_placed_by_paragraph_and_offset_within_it() -> None:
    found = read_work([(1, TALK)])
    text = findings.chapter_text(TALK)
    paragraphs = text.split("\n\n")
    for paragraph, start, end, _ in found.chapters[0].quotes:
        assert paragraphs[paragraph][start:end]
        assert "“" not in paragraphs[paragraph][start:end]
    assert found.chapters[0].quotes[0][:3] == [1, 1, len("“You're late,")]
    # "The ferry was late," Maren said. "Blame the sea.": one quote, two parts
    assert [row[0] for row in found.chapters[0].quotes] == [1, 2, 2, 3]


def test_who_talks_to_whom_counts_answers_between_two_speakers() -> None:
    found = read_work([(1, TALK)])
    maren, tobias = _index(found, "Maren Holt"), _index(found, "Tobias")
    assert found.chapters[0].talk == [[min(maren, tobias), max(maren, tobias), 2]]


def test_a_quote_nobody_said_is_kept_without_a_speaker_and_outside_the_talk() -> None:
    found = read_work([(1, "<p>“Is anyone there?”</p><p>The hall was empty.</p>")])
    assert found.chapters[0].quotes == [[0, 1, len("“Is anyone there?"), NO_SPEAKER]]
    assert found.chapters[0].talk == []


def test_notes_on_top_are_set_apart_and_not_counted_as_story() -> None:
    body = "<p>A/N: thanks for reading! I don't own anything.</p>" + TALK
    found = read_work([(1, body)])
    kinds = {row[0] for row in found.chapters[0].apart}
    assert kinds & {"author_note", "disclaimer"}
    assert found.chapters[0].story_words == read_work([(1, TALK)]).chapters[0].story_words


def test_the_version_of_a_work_changes_with_any_chapter_and_with_their_order() -> None:
    one, two = findings.digest("one"), findings.digest("two")
    assert findings.fingerprint([one, two]) != findings.fingerprint([two, one])
    assert read_work([(1, TALK)]).fingerprint != read_work([(1, TALK + "<p>More.</p>")]).fingerprint
    assert read_work([(1, TALK)]).fingerprint == read_work([(9, TALK)]).fingerprint


def test_a_chapter_with_no_words_is_read_without_failing() -> None:
    found = read_work([(1, "<p> </p>"), (2, "<p>\u0000\ufffd\u202e@@@</p>")])
    assert found.cast == []
    assert [c.story_words for c in found.chapters] == [0, 0]
