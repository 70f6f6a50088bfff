"""Tag wrangling: who may, and what filters and counts do after each change."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.tags.models import Tag, TagType
from tests.archive.factories import UserFactory, make_work

TAGS = {
    TagType.WARNING: ["No Archive Warnings Apply"],
    TagType.FANDOM: ["Grey's Anatomy"],
    TagType.CHARACTER: ["Lex Grey"],
}


@pytest.fixture
def wrangler(db: None) -> User:
    user = UserFactory(username="wrangler")
    user.groups.add(Group.objects.get(name="Tag wranglers"))
    return user


@pytest.fixture
def as_wrangler(wrangler: User) -> Client:
    client = Client()
    client.force_login(wrangler)
    return client


def wrangle_url(tag: Tag) -> str:
    return reverse("tags:wrangle", args=[tag.type, tag.name])


def tag_named(name: str) -> Tag:
    return Tag.objects.get(name=name)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("as_wrangler", 200), ("as_admin", 200), ("as_author", 403), ("as_reader", 403)],
)
def test_only_wranglers_and_admins_open_the_wrangling_page(
    request: pytest.FixtureRequest, author: User, persona: str, expected: int
) -> None:
    make_work(owner=author, tags=TAGS)
    client: Client = request.getfixturevalue(persona)
    assert client.get(wrangle_url(tag_named("Lex Grey"))).status_code == expected


def test_a_stranger_is_asked_to_log_in(as_stranger: Client, author: User) -> None:
    make_work(owner=author, tags=TAGS)
    response = as_stranger.get(wrangle_url(tag_named("Lex Grey")))
    assert response.status_code == 302
    assert reverse("people:login") in response["Location"]


@pytest.mark.parametrize("persona", ["as_author", "as_reader", "as_stranger"])
def test_nobody_else_can_post_a_change(
    request: pytest.FixtureRequest, author: User, persona: str
) -> None:
    make_work(owner=author, tags=TAGS)
    Tag.objects.create(type=TagType.CHARACTER, name="Lexie Grey")
    client: Client = request.getfixturevalue(persona)
    client.post(wrangle_url(tag_named("Lex Grey")), {"action": "synonym", "of": "Lexie Grey"})
    assert tag_named("Lex Grey").merger is None


def test_a_synonym_finds_its_canonicals_works_and_moves_the_counts(
    as_wrangler: Client, as_stranger: Client, author: User
) -> None:
    make_work(owner=author, title="Tagged Lex", tags=TAGS)
    make_work(owner=author, title="Tagged Lexie", tags={**TAGS, TagType.CHARACTER: ["Lexie Grey"]})
    lexie_page = reverse("search:tag", args=["character", "Lexie Grey"])
    assert "Tagged Lex<" not in as_stranger.get(lexie_page).content.decode()

    response = as_wrangler.post(
        wrangle_url(tag_named("Lex Grey")), {"action": "synonym", "of": "lexie grey"}
    )
    assert response.status_code == 302
    page = as_stranger.get(lexie_page).content.decode()
    assert "Tagged Lex<" in page
    assert "Tagged Lexie<" in page
    lexie = tag_named("Lexie Grey")
    assert lexie.is_canonical
    assert (lexie.listed_count, lexie.member_count) == (2, 2)
    # The synonym's own page lists the canonical's works too, and says whose synonym it is.
    synonym_page = as_stranger.get(reverse("search:tag", args=["character", "Lex Grey"]))
    assert "a synonym of" in synonym_page.content.decode()
    assert "Tagged Lexie<" in synonym_page.content.decode()


def test_a_meta_tag_finds_works_of_its_sub_tags(as_wrangler: Client, author: User) -> None:
    make_work(owner=author, title="An MCU story", tags={**TAGS, TagType.FANDOM: ["MCU"]})
    marvel = Tag.objects.create(type=TagType.FANDOM, name="Marvel")
    response = as_wrangler.post(wrangle_url(tag_named("MCU")), {"action": "meta", "meta": "Marvel"})
    assert response.status_code == 302
    marvel.refresh_from_db()
    assert marvel.listed_count == 1
    assert "An MCU story" in as_wrangler.get(marvel.get_absolute_url()).content.decode()
    # and out again
    as_wrangler.post(wrangle_url(tag_named("MCU")), {"action": "remove_meta", "other": marvel.pk})
    marvel.refresh_from_db()
    assert marvel.listed_count == 0


def test_a_loop_of_meta_tags_is_refused_with_a_message(as_wrangler: Client, author: User) -> None:
    make_work(owner=author, tags={**TAGS, TagType.FANDOM: ["MCU", "Marvel"]})
    as_wrangler.post(wrangle_url(tag_named("MCU")), {"action": "meta", "meta": "Marvel"})
    response = as_wrangler.post(wrangle_url(tag_named("Marvel")), {"action": "meta", "meta": "MCU"})
    assert response.status_code == 200
    assert "loop" in response.content.decode()
    assert not tag_named("MCU").sub_tags.exists()


def test_an_unknown_tag_name_is_an_error_next_to_the_field(
    as_wrangler: Client, author: User
) -> None:
    make_work(owner=author, tags=TAGS)
    response = as_wrangler.post(
        wrangle_url(tag_named("Lex Grey")), {"action": "synonym", "of": "Nobody At All"}
    )
    assert response.status_code == 200
    assert "No tag is called “Nobody At All”" in response.content.decode()
    assert 'value="Nobody At All"' in response.content.decode()  # what was typed stays


def test_characters_are_filed_under_a_fandom_which_lists_them(
    as_wrangler: Client, author: User
) -> None:
    make_work(owner=author, tags=TAGS)
    as_wrangler.post(
        wrangle_url(tag_named("Lex Grey")), {"action": "parent", "parent": "Grey's Anatomy"}
    )
    fandom_page = as_wrangler.get(wrangle_url(tag_named("Grey's Anatomy"))).content.decode()
    assert "Lex Grey" in fandom_page
    # A parent is not a meta tag: the fandom's filter does not grow.
    assert tag_named("Grey's Anatomy").listed_count == 1


def test_fandoms_are_browsed_by_media_with_work_counts(
    as_wrangler: Client, as_stranger: Client, author: User
) -> None:
    make_work(owner=author, tags=TAGS)
    make_work(owner=author, tags=TAGS, restricted=True)
    as_wrangler.post(
        wrangle_url(tag_named("Grey's Anatomy")), {"action": "media", "media_type": "tv"}
    )
    media_page = as_stranger.get(reverse("tags:fandoms")).content.decode()
    assert "TV Shows" in media_page
    tv = as_stranger.get(reverse("tags:fandoms_of_media", args=["tv"])).content.decode()
    assert "Grey&#x27;s Anatomy" in tv
    assert "(1 work)" in tv
    tv = as_wrangler.get(reverse("tags:fandoms_of_media", args=["tv"])).content.decode()
    assert "(2 works)" in tv
    assert as_stranger.get(reverse("tags:fandoms_of_media", args=["nope"])).status_code == 404
