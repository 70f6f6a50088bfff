"""Reads for listings and searches: a reader's choices in, one page of works out.

``selectors`` promises that who is asking decides what is found: strangers
find public works only, logged-in readers restricted ones too, and a
reader's muted authors and hidden tags are left out before anything is
counted, so the page, the count and the facets agree. ``find`` reads the
reader's choices on top of the listing's own filter: tags by id or by name
(in any case; a synonym filters as its canonical tag; a name no tag has is
left out with a message), warnings and categories, the search box with its
snippets and messages; it gives the facets grouped by tag type in AO3's
order, and a cursor to the next page. ``recent_works`` is the home page.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from fanfold.archive.people import services as people_services
from fanfold.archive.people.models import User
from fanfold.archive.search import filters, selectors
from fanfold.archive.search.filters import WorkFilter
from fanfold.archive.search.forms import ReaderChoices
from fanfold.archive.search.query import UNCLOSED
from fanfold.archive.search.selectors import (
    BOUNDED_SEARCH,
    find,
    level_of,
    reader_filter,
    recent_works,
)
from fanfold.archive.tags import services as tag_services
from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.works.models import Listing, Work
from tests.archive.factories import UserFactory, make_work

STRANGER = AnonymousUser()


def tags(
    fandom: str = "Harbour Town", *freeforms: str, warning: str = "No Archive Warnings Apply"
) -> dict[TagType, list[str]]:
    return {
        TagType.WARNING: [warning],
        TagType.FANDOM: [fandom],
        TagType.FREEFORM: list(freeforms),
    }


def titles(works: list[Work]) -> list[str]:
    return [work.title for work in works]


def updated(work: Work, day: int) -> None:
    """Set when the work was last updated: ``day`` days into 2025."""
    when = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=day)
    Work.objects.filter(pk=work.pk).update(updated_at=when)


@pytest.fixture
def shelf(author: User) -> dict[str, Work]:
    """Four works by the author, updated in the order listed, one of them restricted."""
    works = {
        "Rain One": make_work(owner=author, title="Rain One", tags=tags("Harbour Town", "Rain")),
        "Rain Two": make_work(
            owner=author, title="Rain Two", tags=tags("Harbour Town", "Rain", "Angst")
        ),
        "Mill": make_work(
            owner=author, title="Mill", tags=tags("Mill Stories", "Fluff", warning="Underage")
        ),
        "Locked": make_work(
            owner=author, title="Locked", tags=tags("Harbour Town", "Rain"), restricted=True
        ),
    }
    for day, work in enumerate(works.values()):
        updated(work, day)
    return works


def test_strangers_list_public_works_and_readers_restricted_ones_too(
    reader: User, shelf: dict[str, Work]
) -> None:
    assert level_of(STRANGER) == Listing.PUBLIC
    assert level_of(reader) == Listing.MEMBERS
    assert titles(find(ReaderChoices(), viewer=STRANGER).works) == ["Mill", "Rain Two", "Rain One"]
    results = find(ReaderChoices(), viewer=reader)
    assert titles(results.works) == ["Locked", "Mill", "Rain Two", "Rain One"]
    assert results.count == filters.Count(4, exact=True)


def test_the_home_page_shows_the_most_recently_updated_works_the_reader_may_read(
    reader: User, shelf: dict[str, Work]
) -> None:
    assert titles(recent_works(viewer=STRANGER, count=2)) == ["Mill", "Rain Two"]
    assert titles(recent_works(viewer=reader, count=2)) == ["Locked", "Mill"]


def test_a_readers_filter_carries_their_muted_authors_and_hidden_tags(
    reader: User, author: User, shelf: dict[str, Work]
) -> None:
    base = WorkFilter(include_tags=(5,))
    assert reader_filter(STRANGER, base) is base
    assert reader_filter(reader, base) == base
    rain = Tag.objects.get(name="Rain")
    people_services.mute_author(user=reader, author=author)
    people_services.hide_tag(user=reader, tag=rain)
    mine = reader_filter(reader, base)
    assert mine.include_tags == (5,)
    assert mine.muted_owners == (author.pk,)
    assert mine.hidden_tags == (rain.pk,)


def test_muted_authors_and_hidden_tags_are_left_out_of_pages_counts_and_facets(
    reader: User, author: User, shelf: dict[str, Work]
) -> None:
    other = make_work(owner=UserFactory(username="other"), title="Other", tags=tags("Mill Stories"))
    people_services.hide_tag(user=reader, tag=Tag.objects.get(name="Rain"))
    results = find(ReaderChoices(), viewer=reader)
    assert titles(results.works) == ["Other", "Mill"]
    assert results.count.value == 2
    facet_names = {entry.tag.name for _, entries in results.facets for entry in entries}
    assert "Rain" not in facet_names
    assert "Harbour Town" not in facet_names
    people_services.mute_author(user=reader, author=author)
    assert titles(find(ReaderChoices(), viewer=reader).works) == [other.title]
    assert titles(recent_works(viewer=reader)) == [other.title]


def test_tags_chosen_by_id_or_by_name_in_any_case_filter_the_listing(
    shelf: dict[str, Work],
) -> None:
    rain = Tag.objects.get(name="Rain")
    by_id = find(ReaderChoices(include=(rain.pk,)), viewer=STRANGER)
    assert titles(by_id.works) == ["Rain Two", "Rain One"]
    assert by_id.included == [rain]
    by_name = find(ReaderChoices(include_names="rain", exclude_names="ANGST"), viewer=STRANGER)
    assert titles(by_name.works) == ["Rain One"]
    assert [tag.name for tag in by_name.excluded] == ["Angst"]
    assert by_name.messages == []


def test_a_name_no_tag_has_is_left_out_with_a_message(shelf: dict[str, Work]) -> None:
    results = find(ReaderChoices(include_names="Rain, Sea Shanties"), viewer=STRANGER)
    assert titles(results.works) == ["Rain Two", "Rain One"]
    assert results.messages == ["No tag is called “Sea Shanties”; it was left out of the filter."]


def test_a_synonym_chosen_by_name_filters_as_its_canonical_tag(
    author: User, admin: User, shelf: dict[str, Work]
) -> None:
    drizzle = make_work(owner=author, title="Drizzle", tags=tags("Harbour Town", "Drizzle"))
    updated(drizzle, 10)
    tag_services.make_synonym(
        tag=Tag.objects.get(name="Drizzle"), of=Tag.objects.get(name="Rain"), by=admin
    )
    results = find(ReaderChoices(include_names="drizzle"), viewer=STRANGER)
    assert titles(results.works) == ["Drizzle", "Rain Two", "Rain One"]
    assert [tag.name for tag in results.included] == ["Drizzle"]


def test_warnings_categories_and_ratings_filter_by_their_fixed_names(
    shelf: dict[str, Work],
) -> None:
    assert titles(find(ReaderChoices(warnings=("Underage",)), viewer=STRANGER).works) == ["Mill"]
    assert find(ReaderChoices(ratings=("explicit",)), viewer=STRANGER).works == []


def test_a_warning_or_category_no_work_has_yet_finds_no_work(shelf: dict[str, Work]) -> None:
    # Their tags are made by the first work to use them; until then, nothing has them.
    assert not Tag.objects.filter(name="F/F").exists()
    for choices in (
        ReaderChoices(categories=("F/F",)),
        ReaderChoices(warnings=("Major Character Death",)),
        ReaderChoices(warnings=("Underage", "Major Character Death")),
    ):
        results = find(choices, viewer=STRANGER)
        assert results.works == []
        assert results.count == filters.Count(0, exact=True)


def test_the_listings_own_filter_is_kept_under_the_readers_choices(
    shelf: dict[str, Work],
) -> None:
    harbour = Tag.objects.get(name="Harbour Town")
    base = WorkFilter(include_tags=(harbour.pk,))
    results = find(ReaderChoices(exclude_names="Angst"), viewer=STRANGER, base=base)
    assert titles(results.works) == ["Rain One"]


def test_facets_are_grouped_by_tag_type_in_ao3s_order_and_marked_as_chosen(
    shelf: dict[str, Work],
) -> None:
    angst = Tag.objects.get(name="Angst")
    fluff = Tag.objects.get(name="Fluff")
    results = find(ReaderChoices(exclude=(angst.pk,), include=()), viewer=STRANGER)
    # Warnings and categories are the sidebar's own fixed checkboxes, not facets too.
    assert [label for label, _ in results.facets] == [
        "Fandom",
        "Additional Tag",
    ]
    freeforms = dict(results.facets)["Additional Tag"]
    counted = {entry.tag.name: (entry.count, entry.included, entry.excluded) for entry in freeforms}
    assert counted == {"Rain": (1, False, False), "Fluff": (1, False, False)}
    assert results.facets_exact
    chosen = find(ReaderChoices(include=(fluff.pk,)), viewer=STRANGER)
    marked = {e.tag.name: e.included for _, entries in chosen.facets for e in entries}
    assert marked["Fluff"] is True
    assert sum(chosen.rating_counts.values()) == chosen.count.value == 1


def test_pages_follow_each_other_through_the_cursor(
    monkeypatch: pytest.MonkeyPatch, reader: User, shelf: dict[str, Work]
) -> None:
    monkeypatch.setattr(selectors, "PER_PAGE", 3)
    first = find(ReaderChoices(sort="title"), viewer=reader)
    assert titles(first.works) == ["Locked", "Mill", "Rain One"]
    assert first.next_cursor is not None
    second = find(ReaderChoices(sort="title"), viewer=reader, cursor_text=first.next_cursor)
    assert titles(second.works) == ["Rain Two"]
    assert second.next_cursor is None


def test_a_search_shows_each_work_with_a_marked_snippet(author: User) -> None:
    make_work(owner=author, title="Harbour", body="<p>The lighthouse keeper waved.</p>")
    make_work(owner=author, title="Inland", body="<p>Fields, all day.</p>")
    results = find(ReaderChoices(query="lighthouse"), viewer=STRANGER)
    ((work, snippet),) = results.entries
    assert work.title == "Harbour"
    assert "<mark>lighthouse</mark>" in snippet
    listing = find(ReaderChoices(), viewer=STRANGER)
    assert {snippet for _, snippet in listing.entries} == {""}


def test_the_search_boxs_messages_come_with_the_listings_own(author: User) -> None:
    make_work(owner=author, title="Harbour", body="<p>The cold rain fell.</p>")
    results = find(ReaderChoices(query='"cold rain'), viewer=STRANGER, messages=["Earlier."])
    assert titles(results.works) == ["Harbour"]
    assert results.messages == ["Earlier.", UNCLOSED]


def test_a_search_past_its_pool_says_it_ranked_only_the_newest_matches(
    monkeypatch: pytest.MonkeyPatch, author: User
) -> None:
    for number in range(6):
        make_work(owner=author, title=f"Rain {number}", body=f"<p>{'rain ' * (number + 1)}</p>")
    monkeypatch.setattr(filters, "TEXT_PROBE", 2)
    monkeypatch.setattr(filters, "TEXT_BATCH", 2)
    monkeypatch.setattr(filters, "TEXT_POOL", 2)
    results = find(ReaderChoices(query="rain"), viewer=STRANGER)
    assert BOUNDED_SEARCH in results.messages
    assert not results.count.exact
    by_title = find(ReaderChoices(query="rain", sort="title"), viewer=STRANGER)
    assert BOUNDED_SEARCH not in by_title.messages  # only "best match" ranks a pool
