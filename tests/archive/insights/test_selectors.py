"""``insights.selectors``: a work's figures for the characters page, and its dialogue's colours."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fanfold.archive.insights import selectors
from fanfold.archive.insights.models import WorkAnalysis
from fanfold.archive.people.models import User
from fanfold.archive.works import services as works
from fanfold.archive.works.models import Chapter
from tests.archive.insights.conftest import read_work


def names(page: selectors.CharactersPage | None) -> list[str]:
    assert page is not None
    return [person.name for person in page.people]


def test_readers_figures_count_posted_chapters_only(author: User, reader: User) -> None:
    work = read_work(author, draft_chapter=True)
    page = selectors.characters_page(work=work, viewer=reader)
    assert page is not None
    assert names(page) == ["Mara Quill", "Tobin Reyes", "Ilse Varga"]
    assert "Casimir Holt" not in names(selectors.characters_page(work=work, viewer=AnonymousUser()))
    assert [c.number for c in page.chapters] == [1, 2]
    ilse = page.people[2]
    assert (ilse.mentions, ilse.quotes, ilse.words) == (2, 1, 3)  # her draft line is not counted
    assert ilse.aliases == ["Ilse"]
    assert page.presence[ilse.index] == [0, 2]  # named only inside a quote in chapter 1


def test_the_author_also_counts_their_draft_chapters(author: User) -> None:
    work = read_work(author, draft_chapter=True)
    page = selectors.characters_page(work=work, viewer=author)
    assert page is not None
    assert "Casimir Holt" in names(page)
    assert [c.is_draft for c in page.chapters] == [False, False, True]


def test_speech_and_exchanges_are_summed_over_chapters(author: User, reader: User) -> None:
    work = read_work(author)
    page = selectors.characters_page(work=work, viewer=reader)
    assert page is not None
    by_name = {p.name: p for p in page.people}
    assert (by_name["Mara Quill"].quotes, by_name["Tobin Reyes"].quotes) == (3, 3)
    assert next(p.name for p in page.speakers) == "Tobin Reyes"  # most words spoken
    pairs = [(a.name, b.name, n) for a, b, n in page.named_exchanges()]
    assert pairs[0] == ("Mara Quill", "Tobin Reyes", 4)
    assert ("Mara Quill", "Ilse Varga", 1) in pairs


def test_no_page_when_the_author_turned_reading_off(author: User, reader: User) -> None:
    work = read_work(author)
    work.analysis_enabled = False
    assert selectors.characters_page(work=work, viewer=reader) is None
    assert selectors.dialogue_colours(work=work, chapters=[], on=True) is None


def test_a_work_not_read_yet_says_so(author: User, reader: User) -> None:
    work = read_work(author, analysed=False)
    page = selectors.characters_page(work=work, viewer=reader)
    assert page is not None
    assert page.read is False
    assert selectors.dialogue_colours(work=work, chapters=[], on=True) is None


def test_dialogue_is_coloured_only_with_quotes_read_from_the_current_text(author: User) -> None:
    work = read_work(author)
    chapters = list(Chapter.objects.filter(work=work).order_by("position"))
    colours = selectors.dialogue_colours(work=work, chapters=chapters, on=True)
    assert colours is not None
    assert set(colours.bodies) == {c.pk for c in chapters}
    assert [s.name for s in colours.legend] == ["Mara Quill", "Tobin Reyes", "Ilse Varga"]
    works.update_chapter(
        chapter=chapters[0],
        by=author,
        fields=works.ChapterFields(body="<p>“New words,” Mara said.</p>"),
    )
    chapters = list(Chapter.objects.filter(work=work).order_by("position"))
    colours = selectors.dialogue_colours(work=work, chapters=chapters, on=True)
    assert colours is not None
    assert colours.unread == {chapters[0].pk}
    assert set(colours.bodies) == {chapters[1].pk}


def test_off_means_no_colouring_work_done(author: User) -> None:
    work = read_work(author)
    colours = selectors.dialogue_colours(work=work, chapters=list(work.chapters.all()), on=False)
    assert colours is not None
    assert (colours.on, colours.bodies, colours.legend) == (False, {}, [])


def test_palette_slots_follow_the_whole_work_so_a_speaker_keeps_a_colour(author: User) -> None:
    work = read_work(author)
    cast = WorkAnalysis.objects.get(work=work).cast
    slots = {s.name: s.slot for s in selectors.speakers_of(cast).values()}
    assert slots == {"Mara Quill": 0, "Tobin Reyes": 1, "Ilse Varga": 2}
    many = [{"name": f"P{n}", "mentions": 20 - n} for n in range(10)]
    assert [s.slot for s in selectors.speakers_of(many).values()][-2:] == [None, None]


def test_an_account_keeps_the_choice_and_a_guest_a_cookie(reader: User) -> None:
    assert selectors.colours_dialogue(reader, "1") is False  # the account's choice wins
    reader.colour_dialogue = True
    assert selectors.colours_dialogue(reader, None) is True
    assert selectors.colours_dialogue(AnonymousUser(), "0") is False


def test_a_chapter_is_coloured_once_per_version_then_read_from_the_cache(author: User) -> None:
    work = read_work(author)
    chapters = list(Chapter.objects.filter(work=work).order_by("position"))
    first = selectors.dialogue_colours(work=work, chapters=chapters, on=True)
    with CaptureQueriesContext(connection) as queries:
        again = selectors.dialogue_colours(work=work, chapters=chapters, on=True)
    assert len(queries.captured_queries) == 0  # the analysis too is kept per version
    assert again == first
