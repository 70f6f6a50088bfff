"""``insights.views``: the characters page for exactly who may read the work, and the switch
that colours dialogue, persona by persona."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fanfold.archive.insights import services as insights
from fanfold.archive.insights.models import WorkAnalysis
from fanfold.archive.people.models import User
from fanfold.archive.works import services as works
from fanfold.archive.works.models import Chapter, Work
from tests.archive.conftest import PERSONAS, queries_for
from tests.archive.insights.conftest import read_work
from tests.conftest import SEEDS


def characters_url(work: Work) -> str:
    return reverse("insights:characters", args=[work.pk])


def page_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# Who sees the characters page ---------------------------------------------------

ACCESS = {
    # kind of work: status for author, reader, stranger, admin
    "posted": [200, 200, 200, 200],
    "draft": [200, 404, 404, 404],
    "restricted": [200, 200, 302, 200],
    "hidden": [200, 404, 404, 200],
}


def work_of_kind(kind: str, author: User, admin: User) -> Work:
    work = read_work(author, post=kind != "draft", restricted=kind == "restricted")
    if kind == "hidden":
        works.set_work_hidden(work=work, by=admin, hidden=True)
    return work


@pytest.mark.parametrize("kind", ACCESS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_the_characters_page_is_for_exactly_who_may_read_the_work(
    request: pytest.FixtureRequest, kind: str, persona: str, author: User, admin: User
) -> None:
    work = work_of_kind(kind, author, admin)
    client: Client = request.getfixturevalue(persona)
    response = client.get(characters_url(work))
    assert response.status_code == ACCESS[kind][PERSONAS.index(persona)]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("people:login"))
    if response.status_code == 200:
        assert "Mara Quill" in response.content.decode()


def test_a_reader_sees_the_cast_charts_and_tables(as_reader: Client, author: User) -> None:
    work = read_work(author)
    text = page_of(as_reader, characters_url(work))
    assert '<h1 id="characters-title">Characters &amp; dialogue</h1>' in text
    assert text.count('role="img"') == 4
    for chart in ("chart-speech", "chart-talk", "chart-presence", "chart-words"):
        assert f'aria-labelledby="{chart}-title {chart}-desc"' in text
    assert text.count("<details>") == 4
    assert "<td>Mara</td>" in text  # an alias in the cast table
    assert "The Pier" in text
    assert " style=" not in text


def test_a_draft_chapter_never_shows_through_to_readers(
    as_reader: Client, as_author: Client, author: User
) -> None:
    work = read_work(author, draft_chapter=True)
    assert "Casimir" not in page_of(as_reader, characters_url(work))
    assert "Boathouse" not in page_of(as_reader, characters_url(work))
    mine = page_of(as_author, characters_url(work))
    assert "Casimir Holt" in mine
    assert "Your draft chapters are counted here for you alone" in mine


def test_the_page_is_gone_when_the_author_turned_reading_off(
    as_reader: Client, author: User
) -> None:
    work = read_work(author)
    Work.objects.filter(pk=work.pk).update(analysis_enabled=False)
    assert as_reader.get(characters_url(work)).status_code == 404


def test_a_work_not_read_yet_says_so(as_reader: Client, author: User) -> None:
    work = read_work(author, analysed=False)
    assert "Fanfold has not read this work yet" in page_of(as_reader, characters_url(work))


def test_the_characters_page_costs_the_same_queries_with_more_chapters_and_characters(
    as_reader: Client, author: User
) -> None:
    small = read_work(author)
    large = read_work(author, extra_chapters=10)
    queries_for(as_reader, characters_url(small))  # warm the session
    assert queries_for(as_reader, characters_url(small)) == queries_for(
        as_reader, characters_url(large)
    )


def test_the_charts_draw_the_most_present_and_the_tables_list_everyone(
    as_reader: Client, author: User
) -> None:
    work = read_work(author, extra_chapters=12)
    text = page_of(as_reader, characters_url(work))
    assert text.count('<circle class="node"') == 12
    assert "Zora Finch" in text  # the fifteenth character, in the tables


# Colouring dialogue by speaker ---------------------------------------------------


def switch(client: Client, on: bool, back: str) -> str:
    response = client.post(
        reverse("insights:colour_dialogue"), {"on": "1" if on else "0", "next": back}
    )
    assert response.status_code == 302
    return str(response["Location"])


def test_a_reader_turns_colouring_on_and_it_stays_on_for_their_account(
    as_reader: Client, reader: User, author: User
) -> None:
    work = read_work(author)
    url = work.get_absolute_url()
    assert "Colour dialogue by speaker" in page_of(as_reader, url)
    assert 'class="said ' not in page_of(as_reader, url)
    assert switch(as_reader, True, url) == url
    reader.refresh_from_db()
    assert reader.colour_dialogue is True
    text = page_of(as_reader, url)
    assert "Who speaks" in text
    assert 'class="said said-0" title="Mara Quill"' in text
    assert "Stop colouring dialogue" in text
    switch(as_reader, False, url)
    assert 'class="said ' not in page_of(as_reader, url)


def test_a_guest_choice_is_kept_in_a_cookie(as_stranger: Client, author: User) -> None:
    work = read_work(author)
    url = work.get_absolute_url()
    switch(as_stranger, True, url)
    assert as_stranger.cookies["colour_dialogue"].value == "1"
    assert 'class="said said-1" title="Tobin Reyes"' in page_of(as_stranger, url)


def test_the_switch_goes_back_only_to_this_site(as_reader: Client) -> None:
    assert switch(as_reader, True, "https://elsewhere.example/") == "/"


def test_the_whole_work_is_coloured_chapter_by_chapter(
    as_reader: Client, reader: User, author: User
) -> None:
    work = read_work(author, draft_chapter=True)
    User.objects.filter(pk=reader.pk).update(colour_dialogue=True)
    text = page_of(as_reader, reverse("works:full", args=[work.pk]))
    assert 'class="said said-2" title="Ilse Varga"' in text  # chapter 2
    assert 'title="Mara Quill"' in text  # chapter 1
    assert "Casimir" not in text  # the draft chapter's speaker, not in the legend


def test_an_edited_chapter_is_shown_uncoloured_until_it_is_read_again(
    as_reader: Client, reader: User, author: User
) -> None:
    work = read_work(author)
    User.objects.filter(pk=reader.pk).update(colour_dialogue=True)
    first = Chapter.objects.get(work=work, position=1)
    works.update_chapter(
        chapter=first, by=author, fields=works.ChapterFields(body="<p>“Changed,” Mara said.</p>")
    )
    text = page_of(as_reader, first.get_absolute_url())
    assert "colours return once Fanfold has read the new text" in text
    assert 'class="said ' not in text


def test_no_switch_where_there_is_nothing_read(as_reader: Client, author: User) -> None:
    unread = read_work(author, analysed=False)
    assert "Colour dialogue by speaker" not in page_of(as_reader, unread.get_absolute_url())
    off = read_work(author)
    Work.objects.filter(pk=off.pk).update(analysis_enabled=False)
    assert "Colour dialogue by speaker" not in page_of(as_reader, off.get_absolute_url())


def test_coloured_reading_costs_the_same_queries_with_more_chapters(
    as_reader: Client, reader: User, author: User
) -> None:
    User.objects.filter(pk=reader.pk).update(colour_dialogue=True)
    small = read_work(author)
    large = read_work(author, extra_chapters=6)
    full = [reverse("works:full", args=[w.pk]) for w in (small, large)]
    for url in full:
        queries_for(as_reader, url)  # the first reading of each work starts its history
    assert queries_for(as_reader, full[0]) == queries_for(as_reader, full[1])


def test_the_page_says_when_newer_text_waits_or_could_not_be_read(
    as_reader: Client, author: User
) -> None:
    work = read_work(author)
    insights.mark_requested(work_id=work.pk)
    assert "Fanfold is reading the latest changes" in page_of(as_reader, characters_url(work))
    insights.record_failure(work_id=work.pk, error=ValueError("too odd"))
    text = page_of(as_reader, characters_url(work))
    assert "Fanfold could not read the latest changes" in text
    assert "Mara Quill" in text  # the figures read before stay


# The "done means", on the two real seed chapters ---------------------------


@pytest.mark.seeds
def test_the_seeds_imported_and_read_by_the_worker_show_their_cast_and_first_suggestion(
    author: User,
    as_author: Client,
    django_capture_on_commit_callbacks: Callable[..., Any],
    run_worker: Callable[[], None],
) -> None:
    seeds = [str(path) for path in sorted(SEEDS.glob("*.txt"))]  # read in place, never copied
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_works", *seeds, "--as", author.username, stdout=StringIO())
    work = Work.objects.get(owner=author)
    assert work.is_draft
    run_worker()
    page = page_of(as_author, characters_url(work))
    cast = re.findall(r'<th scope="row">([^<]+)</th>', page)
    people = {"Mark Sloan", "Lexie Grey", "Derek", "Cristina Yang", "Callie", "Addison", "Meredith"}
    assert people | {"Sloan"} <= set(cast)  # his daughter is someone else
    speaking = WorkAnalysis.objects.get(work=work)
    spoken = speaking_order(speaking)
    assert spoken[:2] in (["Mark Sloan", "Lexie Grey"], ["Lexie Grey", "Mark Sloan"])
    edit = page_of(as_author, reverse("works:edit", args=[work.pk]))
    relationships = re.findall(r'class="suggestion-tag">([^<]+)<', edit)
    assert "Mark Sloan/Lexie Grey" in relationships
    pairs = [r for r in relationships if "/" in r or " &amp; " in r]
    assert pairs[0] == "Mark Sloan/Lexie Grey"


def speaking_order(analysis: WorkAnalysis) -> list[str]:
    """The cast, most words spoken first, over every chapter read."""
    words: Counter[str] = Counter()
    for row in analysis.chapters.all():
        for character, (_, spoken) in row.speech.items():
            words[analysis.cast[int(character)]["name"]] += spoken
    return [name for name, _ in words.most_common()]
