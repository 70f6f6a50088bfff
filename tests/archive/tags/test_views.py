"""Browsing fandoms by media, and the tag wrangler's page for one tag.

``tags.views`` promises every media with its number of fandoms, and each
media's fandoms with the works the reader may see; a wrangling page that
only wranglers and admins open or post to (strangers are asked to log in),
where each form makes its one change and says so, each remove button undoes
one link, and a refused change is explained next to the form it came from.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from fanfold.archive.people.models import User
from fanfold.archive.tags.models import Tag, TagType
from tests.archive.conftest import queries_for
from tests.archive.factories import make_work

TAGS = {
    TagType.WARNING: ["No Archive Warnings Apply"],
    TagType.FANDOM: ["Grey's Anatomy"],
    TagType.CHARACTER: ["Lex Grey"],
}


def wrangle_url(tag: Tag) -> str:
    return reverse("tags:wrangle", args=[tag.type, tag.name])


def tag_named(name: str) -> Tag:
    return Tag.objects.get(name=name)


@pytest.fixture
def lex(db: None) -> Tag:
    """A character, a canonical one it could join, and its fandom."""
    Tag.objects.create(type=TagType.CHARACTER, name="Lexie Grey", is_canonical=True)
    Tag.objects.create(type=TagType.FANDOM, name="Grey's Anatomy")
    return Tag.objects.create(type=TagType.CHARACTER, name="Lex Grey")


def wrangle(client: Client, tag: Tag, **data: object) -> str:
    """Post one form of the tag's wrangling page; the page shown after it."""
    response = client.post(wrangle_url(tag), data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


# Who may wrangle --------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("as_wrangler", 200), ("as_admin", 200), ("as_author", 403), ("as_reader", 403)],
)
def test_only_wranglers_and_admins_open_the_wrangling_page(
    request: pytest.FixtureRequest, lex: Tag, persona: str, expected: int
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(wrangle_url(lex)).status_code == expected


def test_a_stranger_is_asked_to_log_in(as_stranger: Client, lex: Tag) -> None:
    response = as_stranger.get(wrangle_url(lex))
    assert response.status_code == 302
    assert reverse("people:login") in response["Location"]


@pytest.mark.parametrize("persona", ["as_author", "as_reader", "as_stranger"])
def test_nobody_else_can_post_a_change(
    request: pytest.FixtureRequest, lex: Tag, persona: str
) -> None:
    client: Client = request.getfixturevalue(persona)
    client.post(wrangle_url(lex), {"action": "synonym", "of": "Lexie Grey"})
    client.post(wrangle_url(lex), {"action": "canonical", "canonical": "on"})
    lex.refresh_from_db()
    assert (lex.merger, lex.is_canonical) == (None, False)


def test_a_tag_there_is_not_has_no_wrangling_page(as_wrangler: Client, lex: Tag) -> None:
    missing = reverse("tags:wrangle", args=["character", "Nobody"])
    assert as_wrangler.get(missing).status_code == 404
    assert as_wrangler.get(reverse("tags:wrangle", args=["rating", "Lex Grey"])).status_code == 404


# The forms ----------------------------------------------------------------------


def test_the_page_offers_the_forms_that_fit_the_tags_type(as_wrangler: Client, lex: Tag) -> None:
    def forms_of(tag: Tag) -> list[str]:
        return list(as_wrangler.get(wrangle_url(tag)).context["forms"])

    assert forms_of(lex) == ["canonical", "synonym", "meta", "parent"]
    assert forms_of(tag_named("Grey's Anatomy")) == ["canonical", "synonym", "meta", "media"]
    warning = Tag.objects.create(type=TagType.WARNING, name="No Archive Warnings Apply")
    assert forms_of(warning) == ["canonical", "synonym", "meta"]


def test_a_synonym_made_on_the_page_says_so_and_shows_its_canonical(
    as_wrangler: Client, lex: Tag
) -> None:
    page = wrangle(as_wrangler, lex, action="synonym", of="lexie grey")
    assert "“Lex Grey” is now a synonym of “Lexie Grey”." in page
    assert "Remove the synonym link" in page
    assert tag_named("Lex Grey").merger == tag_named("Lexie Grey")

    page = wrangle(as_wrangler, lex, action="unsynonym")
    assert "The synonym link is removed." in page
    assert tag_named("Lex Grey").merger is None


def test_a_tag_is_marked_canonical_and_unmarked_with_its_checkbox(
    as_wrangler: Client, lex: Tag
) -> None:
    assert "Canonical status saved." in wrangle(
        as_wrangler, lex, action="canonical", canonical="on"
    )
    assert tag_named("Lex Grey").is_canonical
    wrangle(as_wrangler, lex, action="canonical")
    assert not tag_named("Lex Grey").is_canonical


def test_a_synonym_made_canonical_is_refused_next_to_the_checkbox(
    as_wrangler: Client, lex: Tag
) -> None:
    wrangle(as_wrangler, lex, action="synonym", of="Lexie Grey")
    response = as_wrangler.post(wrangle_url(lex), {"action": "canonical", "canonical": "on"})
    assert response.status_code == 200
    assert response.context["forms"]["canonical"].non_field_errors() == [
        "“Lex Grey” is a synonym of “Lexie Grey”; it cannot be canonical."
    ]
    assert not tag_named("Lex Grey").is_canonical


def test_a_loop_of_meta_tags_is_refused_with_a_message(as_wrangler: Client, db: None) -> None:
    mcu = Tag.objects.create(type=TagType.FANDOM, name="MCU")
    marvel = Tag.objects.create(type=TagType.FANDOM, name="Marvel")
    wrangle(as_wrangler, mcu, action="meta", meta="Marvel")
    response = as_wrangler.post(wrangle_url(marvel), {"action": "meta", "meta": "MCU"})
    assert response.status_code == 200
    assert "loop" in response.content.decode()
    assert not tag_named("MCU").sub_tags.exists()


def test_a_meta_tag_added_on_the_page_is_removed_with_its_button(
    as_wrangler: Client, db: None
) -> None:
    mcu = Tag.objects.create(type=TagType.FANDOM, name="MCU")
    marvel = Tag.objects.create(type=TagType.FANDOM, name="Marvel")
    page = wrangle(as_wrangler, mcu, action="meta", meta="marvel")
    assert "“Marvel” is now a meta tag of “MCU”." in page
    assert f'name="other" value="{marvel.pk}"' in page
    page = wrangle(as_wrangler, mcu, action="remove_meta", other=str(marvel.pk))
    assert "“Marvel” is no longer a meta tag of “MCU”." in page
    assert not mcu.meta_tags.exists()


def test_an_unknown_tag_name_is_an_error_next_to_the_field(as_wrangler: Client, lex: Tag) -> None:
    response = as_wrangler.post(wrangle_url(lex), {"action": "synonym", "of": "Nobody At All"})
    assert response.status_code == 200
    assert "No tag is called “Nobody At All”" in response.content.decode()
    assert 'value="Nobody At All"' in response.content.decode()  # what was typed stays


def test_characters_are_filed_under_a_fandom_which_lists_them(
    as_wrangler: Client, lex: Tag
) -> None:
    page = wrangle(as_wrangler, lex, action="parent", parent="Grey's Anatomy")
    assert escape("“Lex Grey” is filed under “Grey's Anatomy”.") in page
    fandom = tag_named("Grey's Anatomy")
    fandom_page = as_wrangler.get(wrangle_url(fandom))
    assert fandom_page.context["children"] == [lex]
    page = wrangle(as_wrangler, lex, action="remove_parent", other=str(fandom.pk))
    assert escape("“Lex Grey” is no longer filed under “Grey's Anatomy”.") in page
    assert not lex.parents.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "remove_parent", "other": "not a number"},
        {"action": "remove_meta"},
        {"action": "no such action"},
    ],
)
def test_a_post_the_page_never_sends_changes_nothing(
    as_wrangler: Client, lex: Tag, data: dict[str, str]
) -> None:
    lex.parents.add(tag_named("Grey's Anatomy"))
    response = as_wrangler.post(wrangle_url(lex), data)
    assert response.status_code == 200
    assert list(lex.parents.all()) == [tag_named("Grey's Anatomy")]


# Browsing fandoms -----------------------------------------------------------------


def test_fandoms_are_browsed_by_media_with_work_counts(
    as_wrangler: Client, as_stranger: Client, author: User
) -> None:
    make_work(owner=author, tags=TAGS)
    make_work(owner=author, tags=TAGS, restricted=True)
    page = wrangle(as_wrangler, tag_named("Grey's Anatomy"), action="media", media_type="tv")
    assert "Media saved." in page
    media_page = as_stranger.get(reverse("tags:fandoms")).content.decode()
    assert "TV Shows" in media_page
    tv = as_stranger.get(reverse("tags:fandoms_of_media", args=["tv"])).content.decode()
    assert "Grey&#x27;s Anatomy" in tv
    assert "(1 work)" in tv
    tv = as_wrangler.get(reverse("tags:fandoms_of_media", args=["tv"])).content.decode()
    assert "(2 works)" in tv
    assert as_stranger.get(reverse("tags:fandoms_of_media", args=["nope"])).status_code == 404


def test_every_media_is_listed_with_its_number_of_fandoms(
    as_stranger: Client, lex: Tag, author: User
) -> None:
    make_work(owner=author, tags=TAGS)
    Tag.objects.create(type=TagType.FANDOM, name="Doctor Who", media="tv", is_canonical=True)
    media = as_stranger.get(reverse("tags:fandoms")).context["media"]
    assert len(media) == 11
    assert ("tv", "TV Shows", 1) in media
    assert ("uncategorized", "Uncategorized Fandoms", 1) in media  # Grey's Anatomy, not sorted yet
    assert ("books", "Books & Literature", 0) in media


def test_fandoms_not_yet_sorted_are_at_their_own_path(
    as_stranger: Client, lex: Tag, author: User
) -> None:
    make_work(owner=author, tags=TAGS)
    response = as_stranger.get(reverse("tags:fandoms_of_media", args=["uncategorized"]))
    assert response.context["media_label"] == "Uncategorized Fandoms"
    assert [tag.name for tag, _ in response.context["fandoms"]] == ["Grey's Anatomy"]
    # The empty value is not a path of its own.
    assert as_stranger.get("/fandoms/%20/").status_code == 404


# Issue 15: private work leaves no trace in the fandom lists.


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("as_stranger", ["In Public"]),
        ("as_reader", ["In Public", "In Restricted"]),
        ("as_author", ["In Draft", "In Hidden", "In Public", "In Restricted"]),
    ],
)
def test_a_media_lists_only_the_fandoms_of_works_the_reader_may_see(
    request: pytest.FixtureRequest,
    persona: str,
    shown: list[str],
    author: User,
    admin: User,
    wrangler: User,
) -> None:
    from fanfold.archive.tags.services import set_media
    from fanfold.archive.works.services import set_work_hidden

    fandoms = {"In Public": {}, "In Restricted": {"restricted": True}, "In Draft": {"post": False}}
    for name, fields in {**fandoms, "In Hidden": {}}.items():
        work = make_work(owner=author, tags={TagType.FANDOM: [name]}, **fields)  # type: ignore[arg-type]
        set_media(fandom=tag_named(name), media="tv", by=wrangler)
        if name == "In Hidden":
            set_work_hidden(work=work, by=admin, hidden=True)
    client: Client = request.getfixturevalue(persona)
    response = client.get(reverse("tags:fandoms_of_media", args=["tv"]))
    assert [tag.name for tag, _ in response.context["fandoms"]] == shown
    media = client.get(reverse("tags:fandoms")).context["media"]
    assert ("tv", "TV Shows", len(shown)) in media


# Issue 14: tag autocomplete on the writing forms.


@pytest.fixture
def canon(db: None) -> None:
    for name in ["Lexie Grey", "Mark Sloan", "Lexa"]:
        Tag.objects.create(type=TagType.CHARACTER, name=name, is_canonical=True)
    Tag.objects.create(type=TagType.CHARACTER, name="Lex Grey")  # not wrangled: never offered


def suggest_url(type: str = "character") -> str:
    return reverse("tags:suggest", args=[type])


def test_suggestions_are_canonical_tags_as_options_completing_the_box(
    as_author: Client, canon: None
) -> None:
    page = as_author.get(suggest_url(), {"work-characters": "Mark Sloan, lex"}).content.decode()
    assert page.split("\n")[:2] == [
        '<option value="Mark Sloan, Lexa">Lexa</option>',
        '<option value="Mark Sloan, Lexie Grey">Lexie Grey</option>',
    ]
    assert "Lex Grey" not in page


def test_suggestions_leave_out_tags_already_in_the_box(as_author: Client, canon: None) -> None:
    page = as_author.get(suggest_url(), {"q": "Lexa,Lex"}).content.decode()
    assert page.strip() == '<option value="Lexa,Lexie Grey">Lexie Grey</option>'


def test_a_short_or_unknown_request_suggests_nothing(as_author: Client, canon: None) -> None:
    assert as_author.get(suggest_url(), {"q": "L"}).content.decode().strip() == ""
    assert as_author.get(suggest_url("rating"), {"q": "Lexie"}).content.decode().strip() == ""
    assert as_author.get(suggest_url()).content.decode().strip() == ""


@pytest.mark.parametrize(
    ("persona", "status"),
    [("as_author", 200), ("as_reader", 200), ("as_admin", 200), ("as_stranger", 302)],
)
def test_suggestions_are_for_logged_in_writers(
    request: pytest.FixtureRequest, persona: str, status: int, canon: None
) -> None:
    client: Client = request.getfixturevalue(persona)
    response = client.get(suggest_url(), {"q": "Lex"})
    assert response.status_code == status
    assert ("Lexie Grey" in response.content.decode()) == (status == 200)
    assert client.post(suggest_url(), {"q": "Lex"}).status_code in (302, 405)


def test_suggestions_cost_the_same_queries_however_many_tags_there_are(
    as_author: Client, canon: None
) -> None:
    url = f"{suggest_url()}?q=Lex"
    queries_for(as_author, url)
    few = queries_for(as_author, url)
    for n in range(50):
        Tag.objects.create(type=TagType.CHARACTER, name=f"Lexington {n}", is_canonical=True)
    assert queries_for(as_author, url) == few


def test_the_work_form_s_tag_boxes_ask_for_suggestions_and_stay_plain_text_boxes(
    as_author: Client,
) -> None:
    page = as_author.get(reverse("works:new")).content.decode()
    for field, type in [("fandoms", "fandom"), ("characters", "character")]:
        assert f'<input type="text" name="{field}"' in page
        assert f'hx-get="{suggest_url(type)}"' in page
        assert f'list="id_{field}-suggestions"' in page
        assert f'<datalist id="id_{field}-suggestions"></datalist>' in page
