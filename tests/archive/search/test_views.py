"""The listings: the home page, all works, a tag's works and a reader's bookmarks.

Who may see them and what they leave out, what they cost in queries however
many works they show, and, with the sidebar, what a reader's query string
does and what it never does.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.archive.people.models import User
from fanfold.archive.reading import services as reading
from fanfold.archive.reading.models import Bookmark
from fanfold.archive.reading.services import BookmarkFields
from fanfold.archive.search import filters
from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.works import services as works
from fanfold.archive.works.models import Rating, Series, Work
from fanfold.archive.works.pagecache import page_cache
from tests.archive.conftest import PERSONAS, listing_queries, queries_for
from tests.archive.factories import add_works_to_series, make_work

LIST = reverse("search:works")
BOOKMARKS = reverse("search:bookmarks", args=["reader"])


def fandom_tags(fandom: str, *freeforms: str) -> dict[TagType, list[str]]:
    return {
        TagType.WARNING: ["No Archive Warnings Apply"],
        TagType.FANDOM: [fandom],
        TagType.FREEFORM: list(freeforms),
    }


def titles(page: str) -> list[str]:
    return re.findall(r'<h3 id="work-\d+-title"><a [^>]*>([^<]+)</a>', page)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("url_name", "args"),
    [
        ("search:home", []),
        ("search:works", []),
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


def test_listings_hide_restricted_works_from_strangers(
    as_stranger: Client, as_reader: Client, author: User
) -> None:
    make_work(owner=author, title="Members Only", restricted=True)
    assert "Members Only" not in as_stranger.get(reverse("search:works")).content.decode()
    assert "Members Only" in as_reader.get(reverse("search:works")).content.decode()


def test_a_tag_page_lists_its_works(as_stranger: Client, author: User) -> None:
    make_work(
        owner=author,
        title="Jane and Charles",
        tags={TagType.RELATIONSHIP: ["Jane Bennet/Charles Bingley"]},
    )
    make_work(owner=author, title="Someone Else Entirely")
    url = reverse("search:tag", args=["relationship", "Jane Bennet/Charles Bingley"])
    page = as_stranger.get(url).content.decode()
    assert "Jane and Charles" in page
    assert "Someone Else Entirely" not in page
    assert as_stranger.get(reverse("search:tag", args=["colour", "Blue"])).status_code == 404


# Query counts: listings cost the same number of queries for 2 works as for 12
# (the author page and a series: tests/archive/works/test_views.py).

LISTINGS = {
    "search:home": lambda user: [],
    "search:works": lambda user: [],
    "search:tag": lambda user: ["fandom", "Pride and Prejudice - Jane Austen"],
}


@pytest.mark.parametrize("url_name", list(LISTINGS))
def test_listings_do_not_query_per_work(as_reader: Client, author: User, url_name: str) -> None:
    with_two, with_twelve = listing_queries(
        as_reader, author, lambda user: reverse(url_name, args=LISTINGS[url_name](user))
    )
    assert with_twelve == with_two


# The sidebar ------------------------------------------------------------------


@pytest.fixture
def shelf(author: User) -> None:
    make_work(owner=author, title="Rain One", tags=fandom_tags("Harbour", "Rain"))
    make_work(owner=author, title="Rain Two", tags=fandom_tags("Harbour", "Rain", "Angst"))
    make_work(owner=author, title="Mill One", tags=fandom_tags("Mill", "Fluff"), rating="explicit")
    make_work(owner=author, title="Locked", tags=fandom_tags("Harbour", "Rain"), restricted=True)


def test_blurb_titles_can_be_read_from_the_page(as_stranger: Client, shelf: None) -> None:
    assert sorted(titles(as_stranger.get(LIST).content.decode())) == [
        "Mill One",
        "Rain One",
        "Rain Two",
    ]


def test_facets_count_the_results_and_a_ticked_facet_filters(
    as_stranger: Client, shelf: None
) -> None:
    page = as_stranger.get(LIST).content.decode()
    assert re.search(r"Harbour <span class=\"facet-count\">\(2\)", page)  # not the locked one
    harbour = Tag.objects.get(name="Harbour")
    page = as_stranger.get(LIST, {"include": harbour.pk}).content.decode()
    assert sorted(titles(page)) == ["Rain One", "Rain Two"]
    assert re.search(r"Angst <span class=\"facet-count\">\(1\)", page)
    page = as_stranger.get(
        LIST, {"include": harbour.pk, "exclude": Tag.objects.get(name="Angst").pk}
    )
    assert titles(page.content.decode()) == ["Rain One"]


def test_logged_in_readers_find_restricted_works_in_lists_and_counts(
    as_reader: Client, shelf: None
) -> None:
    page = as_reader.get(LIST, {"other_include": "rain"}).content.decode()
    assert sorted(titles(page)) == ["Locked", "Rain One", "Rain Two"]
    assert "3 works" in page


def test_ratings_sort_and_named_tags(as_stranger: Client, shelf: None) -> None:
    page = as_stranger.get(LIST, {"ratings": "explicit"}).content.decode()
    assert titles(page) == ["Mill One"]
    page = as_stranger.get(LIST, {"sort": "title"}).content.decode()
    assert titles(page) == ["Mill One", "Rain One", "Rain Two"]
    page = as_stranger.get(LIST, {"other_include": "Rain, No Such Tag"}).content.decode()
    assert sorted(titles(page)) == ["Rain One", "Rain Two"]
    assert "No tag is called “No Such Tag”" in page


def test_a_bad_value_is_shown_by_its_field_and_the_rest_still_filters(
    as_stranger: Client, shelf: None
) -> None:
    response = as_stranger.get(
        LIST, {"words_from": "5", "words_to": "1", "ratings": "explicit", "updated_from": "x"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "smaller than" in page
    assert "Enter a valid date" in page
    assert titles(page) == ["Mill One"]


def test_next_page_links_walk_every_work_once(as_stranger: Client, author: User) -> None:
    for n in range(45):
        make_work(owner=author, title=f"Walk {n:02d}", tags=fandom_tags("Harbour"))
    seen: list[str] = []
    query: dict[str, str] = {"sort": "title"}
    for _ in range(5):
        page = as_stranger.get(LIST, query).content.decode()
        seen += titles(page)
        following = re.search(r'rel="next" href="\?([^"]+)"', page)
        if following is None:
            break
        query = dict(
            pair.split("=", 1) for pair in following.group(1).replace("&amp;", "&").split("&")
        )
        query = {k: v.replace("%7C", "|").replace("+", " ") for k, v in query.items()}
    assert seen == [f"Walk {n:02d}" for n in range(45)]


@pytest.mark.parametrize(
    "query",
    [
        {"q": "x" * 10_000},
        {"other_include": ",".join(f"tag{n}" for n in range(3000))},
        {"include": [str(n) for n in range(5000)]},
        {"after": "'; DROP TABLE works_work; --|1", "sort": "kudos"},
        {"after": "9" * 500},
        {"sort": "nonsense", "page": "-3", "complete": "maybe", "language": "zz-bogus"},
        {"include": ["1e9", "-1", "99999999999999999999999"]},
    ],
)
def test_hostile_query_strings_get_a_page_not_an_error(
    as_stranger: Client, shelf: None, query: dict[str, object]
) -> None:
    response = as_stranger.get(LIST, query)
    assert response.status_code == 200


def test_too_many_tags_are_refused_with_a_message(as_stranger: Client, shelf: None) -> None:
    page = as_stranger.get(LIST, {"include": [str(n) for n in range(filters.MAX_TAGS + 1)]})
    assert f"at most {filters.MAX_TAGS} tags" in page.content.decode()


def test_the_search_box_finds_chapter_text_and_shows_a_marked_snippet(
    as_stranger: Client, author: User
) -> None:
    make_work(
        owner=author,
        title="Harbour Lights",
        tags=fandom_tags("Harbour"),
        body="The ferry came in late, and the lighthouse keeper <script>x()</script> waved.",
    )
    make_work(owner=author, title="Inland", tags=fandom_tags("Harbour"), body="Fields, all day.")
    page = as_stranger.get(LIST, {"q": "lighthouse"}).content.decode()
    assert titles(page) == ["Harbour Lights"]
    assert "<mark>lighthouse</mark>" in page
    assert "<script>x()" not in page
    page = as_stranger.get(LIST, {"q": "-lighthouse title:inland"}).content.decode()
    assert titles(page) == ["Inland"]
    page = as_stranger.get(LIST, {"q": 'tag:"Harbour" "lighthouse keeper"'}).content.decode()
    assert titles(page) == ["Harbour Lights"]


def test_a_search_pages_by_best_match_and_says_what_it_cut(
    as_stranger: Client, author: User
) -> None:
    for n in range(25):
        make_work(
            owner=author, title=f"Rain {n}", tags=fandom_tags("Harbour"), body="rain " * (n + 1)
        )
    page = as_stranger.get(LIST, {"q": 'rain "unclosed'}).content.decode()
    assert "not closed" in page
    page = as_stranger.get(LIST, {"q": "rain"}).content.decode()
    seen = titles(page)
    following = re.search(r'rel="next" href="(\?[^"]+)"', page)
    assert following is not None
    seen += titles(as_stranger.get(LIST + unescape(following.group(1))).content.decode())
    assert sorted(seen) == sorted(f"Rain {n}" for n in range(25))


# A reader's bookmarks -----------------------------------------------------------


def bookmark(user: User, work: Work, **fields: Any) -> None:
    reading.save_bookmark(user=user, work=work, fields=BookmarkFields(**fields))


@pytest.fixture
def bookmarked(reader: User, author: User, admin: User) -> None:
    """The reader's bookmarks: public, restricted, private, of works since hidden or unposted."""
    bookmark(reader, make_work(owner=author, title="Open Book"), notes="Loved it", is_rec=True)
    bookmark(reader, make_work(owner=author, title="Members Book", restricted=True))
    bookmark(reader, make_work(owner=author, title="Secret Book"), is_private=True)
    hidden = make_work(owner=author, title="Hidden Book")
    bookmark(reader, hidden)
    works.set_work_hidden(work=hidden, by=admin, hidden=True)
    # A draft cannot be bookmarked; a row made by hand must still never show.
    Bookmark.objects.create(
        user=reader, work=make_work(owner=author, title="Draft Book", post=False)
    )


# Which bookmarked works each persona sees on the reader's page.
SEEN = {
    "as_author": ["Members Book", "Open Book"],
    "as_reader": ["Members Book", "Open Book", "Secret Book"],
    "as_stranger": ["Open Book"],
    "as_admin": ["Members Book", "Open Book"],
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_readers_bookmarks_as_each_persona_sees_them(
    request: pytest.FixtureRequest, bookmarked: None, persona: str
) -> None:
    client: Client = request.getfixturevalue(persona)
    page = client.get(BOOKMARKS, {"sort": "title"})
    assert page.status_code == 200
    assert titles(page.content.decode()) == SEEN[persona]
    assert f"{len(SEEN[persona])} bookmarked work" in page.content.decode()


def test_a_blurb_shows_the_bookmarks_notes_tags_and_rec(
    as_stranger: Client, reader: User, author: User
) -> None:
    bookmark(
        reader,
        make_work(owner=author, title="Salt"),
        notes="<p>Read it <em>twice</em></p>",
        tags=("comfort read",),
        is_rec=True,
    )
    page = as_stranger.get(BOOKMARKS).content.decode()
    assert "<p>Read it <em>twice</em></p>" in page
    assert ">comfort read</a>" in page
    assert "flag-rec" in page
    assert "Edit bookmark" not in page


def test_the_owner_gets_edit_and_delete_on_each_bookmark(
    as_reader: Client, reader: User, author: User
) -> None:
    work = make_work(owner=author, title="Salt")
    bookmark(reader, work, is_private=True)
    page = as_reader.get(BOOKMARKS).content.decode()
    assert "Your bookmarks" in page
    assert "flag-private" in page
    assert reverse("reading:bookmark_work", args=[work.pk]) in page
    assert reverse("reading:delete_work_bookmark", args=[work.pk]) in page


def test_the_sidebar_filters_and_sorts_the_bookmarked_works(
    as_stranger: Client, reader: User, author: User
) -> None:
    bookmark(reader, make_work(owner=author, title="Bee", rating=Rating.TEEN))
    bookmark(reader, make_work(owner=author, title="Ant", rating=Rating.GENERAL))
    bookmark(reader, make_work(owner=author, title="Cat", rating=Rating.TEEN))
    make_work(owner=author, title="Not bookmarked", rating=Rating.TEEN)
    page = as_stranger.get(BOOKMARKS, {"sort": "title", "ratings": "teen"}).content.decode()
    assert titles(page) == ["Bee", "Cat"]
    assert (
        'name="ratings" value="teen" checked> Teen And Up Audiences <span class="facet-count">(2)'
        in page
    )
    assert as_stranger.get(reverse("search:bookmarks", args=["nobody"])).status_code == 404


def test_next_page_links_walk_every_bookmark_once(
    as_stranger: Client, reader: User, author: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fanfold.archive.search.selectors.PER_PAGE", 2)
    for n in range(5):
        bookmark(reader, make_work(owner=author, title=f"Book {n}"))
    seen: list[str] = []
    url = f"{BOOKMARKS}?sort=title"
    for _ in range(5):
        page = as_stranger.get(url).content.decode()
        seen.extend(titles(page))
        following = re.search(r'<a rel="next" href="([^"]+)"', page)
        if following is None:
            break
        url = BOOKMARKS + unescape(following.group(1))
    assert seen == [f"Book {n}" for n in range(5)]


def test_series_bookmarks_are_listed_under_the_works(
    as_stranger: Client, as_reader: Client, reader: User, author: User
) -> None:
    series = works.create_series(owner=author, title="Seasons")
    add_works_to_series(owner=author, series=series, count=1)
    reading.save_bookmark(user=reader, series=series, fields=BookmarkFields(notes="All of it"))
    hidden = works.create_series(owner=author, title="Kept quiet")
    add_works_to_series(owner=author, series=hidden, count=1)
    reading.save_bookmark(user=reader, series=hidden, fields=BookmarkFields(is_private=True))
    page = as_stranger.get(BOOKMARKS).content.decode()
    assert "Seasons</a>" in page
    assert "All of it" in page
    assert "Kept quiet" not in page
    own = as_reader.get(BOOKMARKS).content.decode()
    assert "Kept quiet" in own
    assert reverse("reading:delete_series_bookmark", args=[hidden.pk]) in own


@pytest.mark.parametrize("persona", ["as_reader", "as_stranger"])
def test_a_bookmarks_page_costs_the_same_with_more_bookmarks(
    request: pytest.FixtureRequest, persona: str, reader: User, author: User
) -> None:
    client: Client = request.getfixturevalue(persona)

    def add(count: int) -> None:
        series = works.create_series(owner=author, title=f"Series {Series.objects.count()}")
        add_works_to_series(owner=author, series=series, count=count)
        reading.save_bookmark(user=reader, series=series, fields=BookmarkFields(tags=("s",)))
        for work in series.works.all():
            bookmark(reader, work, notes="Good", tags=("x", "y"), is_rec=True)

    add(2)
    queries_for(client, BOOKMARKS)
    with_two = queries_for(client, BOOKMARKS)
    add(10)
    assert queries_for(client, BOOKMARKS) == with_two


# Finding from anywhere (issue 14) --------------------------------------------

HEADER_SEARCH = re.compile(
    r'<form[^>]*role="search"[^>]*method="get"[^>]*action="'
    + re.escape(LIST)
    + r'"[^>]*>.*?<label for="header-search"[^>]*>[^<]+</label>.*?'
    r'<input[^>]*name="q"[^>]*id="header-search"',
    re.S,
)


@pytest.mark.parametrize(
    ("url_name", "args"),
    [
        ("search:home", []),
        ("search:works", []),
        ("people:login", []),
        ("tags:fandoms", []),
        ("search:bookmarks", ["reader"]),
    ],
)
def test_every_page_has_a_labelled_search_box_in_its_header(
    as_stranger: Client, reader: User, url_name: str, args: list[str]
) -> None:
    page = as_stranger.get(reverse(url_name, args=args)).content.decode()
    header = page.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert HEADER_SEARCH.search(header)


def test_the_header_search_box_finds_works_and_keeps_what_was_searched(
    as_stranger: Client, author: User
) -> None:
    make_work(owner=author, title="Harbour Lights", body="The lighthouse keeper waved.")
    make_work(owner=author, title="Inland", body="Fields, all day.")
    page = as_stranger.get(LIST, {"q": "lighthouse"}).content.decode()
    assert titles(page) == ["Harbour Lights"]
    header = page.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert 'value="lighthouse"' in header


# Pagination both ways (issue 14) ------------------------------------------------


def link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="\?([^"]*)"', page)
    return unescape(found.group(1)) if found else None


def test_previous_and_first_page_links_walk_back_over_the_same_pages(
    as_stranger: Client, author: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fanfold.archive.search.selectors.PER_PAGE", 3)
    for n in range(10):
        make_work(owner=author, title=f"Walk {n:02d}", tags=fandom_tags("Harbour"))
    forward: list[list[str]] = []
    url: str | None = f"{LIST}?sort=title&ratings=general"
    pages = []
    while url is not None:
        page = as_stranger.get(url).content.decode()
        pages.append(page)
        forward.append(titles(page))
        following = link(page, "next")
        url = f"{LIST}?{following}" if following is not None else None
    assert len(forward) == 4
    assert link(pages[0], "prev") is None
    assert "First page" not in pages[0]
    back: list[list[str]] = []
    page = pages[-1]
    assert "Page 4" in page
    while (before := link(page, "prev")) is not None:
        assert "sort=title" in before  # the filter is kept
        assert "ratings=general" in before
        page = as_stranger.get(f"{LIST}?{before}").content.decode()
        back.append(titles(page))
    assert back == forward[-2::-1]
    assert "Page 1" in page
    first = re.search(r'<a href="\?([^"]*)">First page</a>', pages[2])
    assert first is not None
    assert (
        titles(as_stranger.get(f"{LIST}?{unescape(first.group(1))}").content.decode())
        == (forward[0])
    )


def test_a_page_back_costs_what_a_page_forward_costs(
    as_stranger: Client, author: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("fanfold.archive.search.selectors.PER_PAGE", 2)
    for n in range(9):
        make_work(owner=author, title=f"Walk {n:02d}", tags=fandom_tags("Harbour"))
    page = as_stranger.get(LIST, {"sort": "title"}).content.decode()
    urls = []
    while (following := link(page, "next")) is not None:
        urls.append(f"{LIST}?{following}")
        page = as_stranger.get(urls[-1]).content.decode()
    before = link(page, "prev")
    assert before is not None
    page_cache().clear()  # both pages rendered, neither answered from the strangers' cache
    assert queries_for(as_stranger, f"{LIST}?{before}") == queries_for(as_stranger, urls[1])


def test_search_result_snippets_never_show_a_doubled_ellipsis(
    as_stranger: Client, author: User
) -> None:
    body = "Morning came slowly over the water. " * 60 + "The lighthouse keeper waved. " * 2
    make_work(owner=author, title="Harbour Lights", body=body + "Evening. " * 200)
    make_work(owner=author, title="Lighthouse", body="Fields, all day. " * 100)
    page = as_stranger.get(LIST, {"q": "lighthouse"}).content.decode()
    snippets = re.findall(r'<p class="snippet">(.*?)</p>', page, re.S)
    assert len(snippets) == 2
    for snippet in snippets:
        assert "……" not in snippet
        assert not snippet.startswith("……")
    assert any(snippet.startswith("…") and "<mark>" in snippet for snippet in snippets)


# The sidebar's tags (issue 14) ------------------------------------------------------


def sidebar(page: str) -> str:
    return page.split('<aside class="filters"', 1)[1].split("</aside>", 1)[0]


def test_warnings_and_categories_are_offered_once_not_twice(
    as_stranger: Client, shelf: None
) -> None:
    aside = sidebar(as_stranger.get(LIST).content.decode())
    assert re.sub(r"<[^>]+>", "", aside).count("No Archive Warnings Apply") == 1
    assert len(re.findall(r"<legend>[^<]*Warning", aside)) == 1
    assert len(re.findall(r"<legend>[^<]*Categor", aside)) == 1


def test_more_than_ten_tags_of_a_type_can_be_ticked_the_popular_first(
    as_stranger: Client, author: User
) -> None:
    for n in range(16):
        # Trope 00 is on every work, Trope 15 on one: popularity decides the order.
        tropes = [f"Trope {k:02d}" for k in range(16 - n)]
        make_work(owner=author, title=f"Work {n}", tags=fandom_tags("Harbour", *tropes))
    aside = sidebar(as_stranger.get(LIST).content.decode())
    shown = re.findall(r"> (Trope \d\d) <span", aside)
    assert shown == [f"Trope {k:02d}" for k in range(16)]
    first_ten, more = aside.split('<details class="facet-more"', 1)
    assert "Trope 09" in first_ten
    assert "Trope 10" not in first_ten
    assert re.search(r"<summary>\s*6 more", more)
    trope = Tag.objects.get(name="Trope 15")
    page = as_stranger.get(LIST, {"include": trope.pk}).content.decode()
    assert titles(page) == ["Work 0"]


def test_a_blurb_header_shows_its_symbols_with_words_for_every_reader(
    as_stranger: Client, author: User
) -> None:
    make_work(owner=author, title="Marked", rating="mature", tags=fandom_tags("Harbour"))
    page = as_stranger.get(LIST).content.decode()
    blurb = page.split('<article class="blurb"', 1)[1].split("</article>", 1)[0]
    header = re.search(r'<ul class="required-tags"[^>]*>(.*?)</ul>', blurb, re.S)
    assert header is not None
    marks = re.findall(
        r'<abbr title="([^"]+)"><span aria-hidden="true">([^<]+)</span>'
        r'<span class="visually-hidden">([^<]+)</span></abbr>',
        header.group(1),
    )
    assert [(title, mark) for title, mark, _ in marks] == [
        ("Rating: Mature", "M"),
        ("No Archive Warnings Apply", "–"),
        ("No category", "–"),
        ("Work in progress", "WIP"),
    ]
    assert all(title == hidden for title, _, hidden in marks)  # the same words, heard and seen


# Issue 15: private work leaves no trace. A tag only private works carry is
# answered exactly like a name nobody ever typed.


@pytest.fixture
def private_tags(author: User, admin: User) -> None:
    """A draft, a hidden work and a restricted work, each with a tag of its own."""
    make_work(owner=author, post=False, tags=fandom_tags("Draft Fandom"))
    hidden = make_work(owner=author, tags=fandom_tags("Hidden Fandom"))
    works.set_work_hidden(work=hidden, by=admin, hidden=True)
    make_work(owner=author, restricted=True, tags=fandom_tags("Restricted Fandom"))


def answer(client: Client, url: str) -> tuple[int, str]:
    """The status and the page, less what differs on every answer (the form token) and
    the address the page sends a visitor back to."""
    response = client.get(url)
    page = re.sub(
        r'(name="(?:csrfmiddlewaretoken|next)" value=")[^"]*', r"\1", response.content.decode()
    )
    return response.status_code, page


@pytest.mark.parametrize(
    ("persona", "hidden_from_them"),
    [
        ("as_stranger", ["Draft Fandom", "Hidden Fandom", "Restricted Fandom"]),
        ("as_reader", ["Draft Fandom", "Hidden Fandom"]),
    ],
)
@pytest.mark.parametrize("url_name", ["search:tag", "search:tag_feed"])
def test_a_tag_only_private_works_carry_answers_like_an_unknown_tag(
    request: pytest.FixtureRequest,
    private_tags: None,
    persona: str,
    hidden_from_them: list[str],
    url_name: str,
) -> None:
    client: Client = request.getfixturevalue(persona)
    unknown = answer(client, reverse(url_name, args=["fandom", "Never Typed"]))
    assert unknown[0] == 404
    for name in hidden_from_them:
        assert answer(client, reverse(url_name, args=["fandom", name])) == unknown


def test_the_author_and_admins_still_open_the_tags_of_private_works(
    private_tags: None, as_author: Client, as_admin: Client, as_reader: Client
) -> None:
    for name in ["Draft Fandom", "Hidden Fandom", "Restricted Fandom"]:
        url = reverse("search:tag", args=["fandom", name])
        assert as_author.get(url).status_code == 200
        assert as_admin.get(url).status_code == 200
    assert (
        as_reader.get(reverse("search:tag", args=["fandom", "Restricted Fandom"])).status_code
        == 200
    )


def test_a_filter_never_names_back_a_tag_only_private_works_carry(
    private_tags: None, as_stranger: Client
) -> None:
    draft_tag = Tag.objects.get(name="Draft Fandom")
    by_id = as_stranger.get(LIST, {"include": draft_tag.pk, "exclude": draft_tag.pk})
    assert b"Draft Fandom" not in by_id.content
    by_name = as_stranger.get(LIST, {"other_include": "Draft Fandom"}).content.decode()
    unknown = as_stranger.get(LIST, {"other_include": "Never Typed"}).content.decode()
    assert "No tag is called “Draft Fandom”" in unescape(by_name)
    assert "No tag is called “Never Typed”" in unescape(unknown)


def test_a_blurb_numbers_series_parts_as_the_reader_counts_them(
    author: User, as_stranger: Client, as_author: Client
) -> None:
    series = works.create_series(owner=author, title="The Long Road")
    for title, post in [("First Draft", False), ("Posted One", True), ("Second Draft", False)]:
        work = make_work(owner=author, title=title, post=post)
        works.join_series(work=work, by=author, series=series)
    page = as_stranger.get(LIST).content.decode()
    assert "Part 1 of" in page
    assert "Part 2 of" not in page
    own = as_author.get(reverse("works:author", args=["author"])).content.decode()
    assert "Part 3 of" in own  # the author counts their drafts
