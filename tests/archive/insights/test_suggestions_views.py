"""Adding a suggested tag from the work's edit page, with and without JavaScript.

Only the work's author sees the suggestions (the edit page is theirs) and
only they may add one: a reader or an admin finds no such work, a stranger
is asked to log in, and nothing is tagged. A plain form comes back to the
page with a message; htmx gets the panel in place, and the edit form's box
with the new tag added to what was typed. Only a current suggestion can be
added; twice adds it once. The edit page costs the same queries whatever
the work's length or the fandom's size.
"""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from fanfold.archive.insights import services
from fanfold.archive.people.models import User
from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.works.models import Work
from tests.archive.conftest import PERSONAS, queries_for
from tests.archive.insights.test_suggestions import ferry_work
from tests.archive.tags.test_selectors import greys_canon

HTMX = {"HTTP_HX_REQUEST": "true"}


def tag_names(work: Work, tag_type: TagType) -> list[str]:
    return sorted(work.tags.filter(type=tag_type).values_list("name", flat=True))


def add(
    client: Client,
    work: Work,
    name: str,
    tag_type: str = "character",
    *,
    htmx: bool = False,
    **extra: str,
) -> HttpResponse:
    data = {"type": tag_type, "name": name, "next": reverse("works:edit", args=[work.pk])}
    headers = HTMX if htmx else {}
    answer: HttpResponse = client.post(
        reverse("suggestions:add", args=[work.pk]), data | extra, **headers
    )
    return answer


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_author_sees_and_adds_suggestions(
    persona: str, author: User, request: pytest.FixtureRequest
) -> None:
    greys_canon()
    work = ferry_work(author)
    client: Client = request.getfixturevalue(persona)
    page = client.get(reverse("works:edit", args=[work.pk]))
    answer = add(client, work, "Lexie Grey")
    added = tag_names(work, TagType.CHARACTER) == ["Lexie Grey"]
    if persona == "as_author":
        assert page.status_code == 200
        assert "Suggested tags" in page.content.decode()
        assert answer.status_code == 302
        assert added
        return
    assert not added
    if persona == "as_stranger":
        assert page.status_code == 302
        assert answer["Location"].startswith(reverse("people:login"))
    else:
        assert page.status_code == 404
        assert answer.status_code == 404


def test_the_edit_page_shows_each_suggestion_with_its_evidence_and_an_add_button(
    as_author: Client, author: User
) -> None:
    greys_canon()
    work = ferry_work(author)
    page = as_author.get(reverse("works:edit", args=[work.pk])).content.decode()
    assert "Lexie Grey" in page
    assert "(as Lexie)" in page
    assert "lines spoken" in page or "line spoken" in page
    assert "Lexie Grey/Mark Sloan" in page
    assert "they meet in" in page
    assert 'aria-label="Where they meet in the story"' in page
    assert 'aria-label="Add the relationship Lexie Grey/Mark Sloan"' in page


def test_without_javascript_add_tags_the_work_and_comes_back_with_a_message(
    as_author: Client, author: User
) -> None:
    greys_canon()
    work = ferry_work(author)
    answer = add(as_author, work, "Lexie Grey/Mark Sloan", "relationship")
    assert answer["Location"] == reverse("works:edit", args=[work.pk])
    page = as_author.get(answer["Location"]).content.decode()
    assert "Added “Lexie Grey/Mark Sloan” to the work&#x27;s relationships." in page
    assert tag_names(work, TagType.RELATIONSHIP) == ["Lexie Grey/Mark Sloan"]
    assert 'class="suggestion-added"' in page
    assert "Lexie Grey/Mark Sloan" in as_author.get(work.get_absolute_url()).content.decode()


def test_adding_twice_tags_once(as_author: Client, author: User) -> None:
    greys_canon()
    work = ferry_work(author)
    add(as_author, work, "Derek Shepherd")
    again = add(as_author, work, "Derek Shepherd", next="")
    assert again["Location"] == work.get_absolute_url()
    page = as_author.get(work.get_absolute_url()).content.decode()
    assert "already one of the work" in page
    assert work.tags.filter(name="Derek Shepherd").count() == 1


def test_only_a_current_suggestion_can_be_added(as_author: Client, author: User) -> None:
    work = ferry_work(author)
    add(as_author, work, "Someone Else")
    add(as_author, work, "Fluff", "freeform")
    assert tag_names(work, TagType.CHARACTER) == []
    assert not Tag.objects.filter(name="Someone Else").exists()


def test_with_htmx_the_panel_answers_in_place_and_the_forms_box_keeps_what_was_typed(
    as_author: Client, author: User
) -> None:
    greys_canon()
    work = ferry_work(author)
    answer = add(as_author, work, "Lexie Grey", characters="Meredith Grey", htmx=True)
    html = answer.content.decode()
    assert html.lstrip().startswith('<section class="tag-suggestions" id="tag-suggestions"')
    assert "Added “Lexie Grey” to the work" in html
    assert 'id="work-field-characters" hx-swap-oob="true"' in html
    assert 'value="Meredith Grey, Lexie Grey"' in html
    assert tag_names(work, TagType.CHARACTER) == ["Lexie Grey"]


def test_the_author_is_told_the_reading_is_under_way_or_failed(
    as_author: Client, author: User
) -> None:
    work = ferry_work(author, read=False)
    url = reverse("works:edit", args=[work.pk])
    services.mark_requested(work_id=work.pk)
    assert "Fanfold is reading this work…" in as_author.get(url).content.decode()
    services.record_failure(work_id=work.pk, error=TimeoutError("took too long"))
    page = as_author.get(url).content.decode()
    assert "Fanfold could not read this work (TimeoutError: took too long)" in page
    assert "It stays posted and readable." in page
    assert "Fanfold will try once more." in page


def test_nothing_is_shown_or_added_when_the_author_turned_reading_off(
    as_author: Client, author: User
) -> None:
    work = ferry_work(author, read=False, analysis_enabled=False)
    assert (
        "Suggested tags"
        not in as_author.get(reverse("works:edit", args=[work.pk])).content.decode()
    )
    add(as_author, work, "Mark Sloan")
    assert tag_names(work, TagType.CHARACTER) == []


def test_the_edit_page_costs_the_same_queries_for_a_longer_work_and_a_bigger_fandom(
    as_author: Client, author: User
) -> None:
    fandom = greys_canon()
    small = ferry_work(author)
    queries_for(as_author, reverse("works:edit", args=[small.pk]))  # warm the session
    few = queries_for(as_author, reverse("works:edit", args=[small.pk]))
    for n in range(30):
        Tag.objects.create(
            type=TagType.CHARACTER, name=f"Intern {n}", is_canonical=True
        ).parents.add(fandom)
    big = ferry_work(author, chapters=5)
    assert "Suggested tags" in as_author.get(reverse("works:edit", args=[big.pk])).content.decode()
    assert queries_for(as_author, reverse("works:edit", args=[big.pk])) == few
