"""Who may see and do what, view by view, for the author, a reader, a stranger and an admin.

Each row reads as a sentence: on <view> of a <kind> work, <persona> gets <outcome>.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.works import services
from fanfold.archive.works.models import Work
from tests.archive.factories import make_work

PERSONAS = ["as_author", "as_reader", "as_stranger", "as_admin"]
OK, NOT_FOUND, LOGIN, FORBIDDEN, REDIRECT = 200, 404, "login", 403, 302


def _work_of_kind(kind: str, author: User, admin: User) -> Work:
    work = make_work(
        owner=author, chapters=2, post=kind != "draft", restricted=kind == "restricted"
    )
    if kind == "hidden":
        services.set_work_hidden(work=work, by=admin, hidden=True)
    return work


def _assert_outcome(response: object, expected: object) -> None:
    status = getattr(response, "status_code", None)
    if expected == LOGIN:
        assert status == 302
        assert reverse("people:login") in response["Location"]  # type: ignore[index]
    else:
        assert status == expected


READING_VIEWS = ["works:work", "works:full", "works:navigate", "works:chapter", "works:download"]
READING_RULES = {
    #             author     reader     stranger   admin
    "posted": [OK, OK, OK, OK],
    "draft": [OK, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "restricted": [OK, OK, LOGIN, OK],
    "hidden": [OK, NOT_FOUND, NOT_FOUND, OK],
}


@pytest.mark.parametrize("view", READING_VIEWS)
@pytest.mark.parametrize("kind", list(READING_RULES))
@pytest.mark.parametrize("persona_index", range(4), ids=PERSONAS)
def test_reading_a_work(
    request: pytest.FixtureRequest,
    author: User,
    admin: User,
    view: str,
    kind: str,
    persona_index: int,
) -> None:
    work = _work_of_kind(kind, author, admin)
    client: Client = request.getfixturevalue(PERSONAS[persona_index])
    args: list[object] = [work.pk]
    if view == "works:chapter":
        args.append(work.chapters.last().pk)  # type: ignore[union-attr]
    elif view == "works:download":
        args.append("epub")
    response = client.get(reverse(view, args=args))
    response.close()  # a download streams its file: the test client leaves closing to us
    _assert_outcome(response, READING_RULES[kind][persona_index])


EDITING_VIEWS = [
    "works:edit",
    "works:delete",
    "works:chapter_new",
    "works:chapter_order",
    "works:chapter_edit",
    "works:chapter_delete",
]
#              author reader     stranger admin
EDITING_RULE = [OK, NOT_FOUND, LOGIN, NOT_FOUND]


@pytest.mark.parametrize("view", EDITING_VIEWS)
@pytest.mark.parametrize("persona_index", range(4), ids=PERSONAS)
def test_editing_a_work_is_for_its_author_only(
    request: pytest.FixtureRequest, author: User, view: str, persona_index: int
) -> None:
    work = make_work(owner=author, chapters=2)
    client: Client = request.getfixturevalue(PERSONAS[persona_index])
    args = (
        [work.pk]
        if "chapter_" not in view or view.endswith(("new", "order"))
        else [
            work.pk,
            work.chapters.first().pk,  # type: ignore[union-attr]
        ]
    )
    _assert_outcome(client.get(reverse(view, args=args)), EDITING_RULE[persona_index])


@pytest.mark.parametrize(
    ("persona_index", "expected"), [(0, REDIRECT), (1, NOT_FOUND), (2, LOGIN), (3, NOT_FOUND)]
)
def test_only_the_author_posts_a_draft(
    request: pytest.FixtureRequest, author: User, persona_index: int, expected: object
) -> None:
    work = make_work(owner=author, post=False)
    client: Client = request.getfixturevalue(PERSONAS[persona_index])
    _assert_outcome(client.post(reverse("works:post", args=[work.pk])), expected)
    work.refresh_from_db()
    assert work.is_draft is (expected != REDIRECT)


@pytest.mark.parametrize(
    ("persona_index", "expected"), [(0, FORBIDDEN), (1, FORBIDDEN), (2, LOGIN), (3, REDIRECT)]
)
def test_only_an_admin_hides_a_work(
    request: pytest.FixtureRequest, author: User, persona_index: int, expected: object
) -> None:
    work = make_work(owner=author)
    client: Client = request.getfixturevalue(PERSONAS[persona_index])
    _assert_outcome(client.post(reverse("works:hide", args=[work.pk]), {"hidden": "1"}), expected)
    work.refresh_from_db()
    assert work.is_hidden is (expected == REDIRECT)


@pytest.mark.parametrize(
    ("persona_index", "expected"), [(0, REDIRECT), (1, NOT_FOUND), (2, LOGIN), (3, NOT_FOUND)]
)
def test_only_the_author_deletes_a_work(
    request: pytest.FixtureRequest, author: User, persona_index: int, expected: object
) -> None:
    work = make_work(owner=author)
    client: Client = request.getfixturevalue(PERSONAS[persona_index])
    _assert_outcome(client.post(reverse("works:delete", args=[work.pk])), expected)
    assert Work.objects.filter(pk=work.pk).exists() is (expected != REDIRECT)


SERIES_VIEWS = {
    "works:series": [OK, OK, OK, OK],
    "works:series_edit": EDITING_RULE,
    "works:series_delete": EDITING_RULE,
}


@pytest.mark.parametrize("view", list(SERIES_VIEWS))
@pytest.mark.parametrize("persona_index", range(4), ids=PERSONAS)
def test_series_pages(
    request: pytest.FixtureRequest, author: User, view: str, persona_index: int
) -> None:
    series = services.create_series(owner=author, title="Letters from Netherfield")
    work = make_work(owner=author)
    services.update_work(work=work, by=author, fields=_same_fields(work), series=series)
    client: Client = request.getfixturevalue(PERSONAS[persona_index])
    _assert_outcome(client.get(reverse(view, args=[series.pk])), SERIES_VIEWS[view][persona_index])


def test_a_series_of_drafts_is_not_found_by_a_stranger(as_stranger: Client, author: User) -> None:
    series = services.create_series(owner=author, title="Unfinished")
    work = make_work(owner=author, post=False)
    services.update_work(work=work, by=author, fields=_same_fields(work), series=series)
    assert as_stranger.get(reverse("works:series", args=[series.pk])).status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("url_name", "args"),
    [
        ("search:home", []),
        ("search:works", []),
        ("works:author", ["author"]),
        ("search:tag", ["fandom", "Pride and Prejudice - Jane Austen"]),
    ],
)
def test_listings_open_for_everyone(
    request: pytest.FixtureRequest, persona: str, url_name: str, args: list[str], author: User
) -> None:
    make_work(owner=author, title="Visible to all")
    client: Client = request.getfixturevalue(persona)
    page = client.get(reverse(url_name, args=args))
    assert page.status_code == 200
    assert "Visible to all" in page.content.decode()


@pytest.mark.parametrize(("persona", "expected"), [("as_stranger", OK), ("as_reader", REDIRECT)])
@pytest.mark.parametrize("url_name", ["people:login", "people:signup"])
def test_login_and_signup_are_for_strangers(
    request: pytest.FixtureRequest, persona: str, expected: int, url_name: str
) -> None:
    client: Client = request.getfixturevalue(persona)
    assert client.get(reverse(url_name)).status_code == expected


def test_logging_out_takes_a_post(as_reader: Client) -> None:
    assert as_reader.get(reverse("people:logout")).status_code == 405
    assert as_reader.post(reverse("people:logout")).status_code == 302
    assert as_reader.get(reverse("works:new")).status_code == 302  # logged out now


def test_the_author_page_shows_drafts_to_the_author_only(
    as_author: Client, as_reader: Client, author: User
) -> None:
    make_work(owner=author, title="Posted Piece")
    make_work(owner=author, title="Secret Draft", post=False)
    url = reverse("works:author", args=[author.username])
    assert "Secret Draft" in as_author.get(url).content.decode()
    page = as_reader.get(url).content.decode()
    assert "Posted Piece" in page
    assert "Secret Draft" not in page


def test_listings_hide_restricted_works_from_strangers(
    as_stranger: Client, as_reader: Client, author: User
) -> None:
    make_work(owner=author, title="Members Only", restricted=True)
    assert "Members Only" not in as_stranger.get(reverse("search:works")).content.decode()
    assert "Members Only" in as_reader.get(reverse("search:works")).content.decode()


def test_an_unknown_author_is_not_found(as_stranger: Client, db: None) -> None:
    assert as_stranger.get(reverse("works:author", args=["nobody"])).status_code == 404


def _same_fields(work: Work) -> services.WorkFields:
    return services.WorkFields(title=work.title, rating=work.rating)
