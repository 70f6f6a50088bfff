"""Keeping the filter index, the tag counters and the search documents in step with works.

``indexing`` promises that after ``index_works`` a work is found by a filter
on each of its tags, their canonical tags and every meta tag above them;
that it knows who may list the work (everyone, logged-in readers, nobody)
and whether it is a crossover; that the tag counters move by the change
and never drift; and that a listed work's search document holds its
title, author, summary, notes, every filter tag's name and its posted
chapters, while an unlisted work has none. ``unindex_works`` takes works
out of all of it, ``works_finding`` names the works a tag's filter finds,
and ``recount_tags`` repairs the counters from the rows.
"""

from __future__ import annotations

import pytest
from django.db import connection

from fanfold.archive.people.models import User
from fanfold.archive.search import fulltext
from fanfold.archive.search.indexing import (
    filter_closure,
    index_works,
    listing_of,
    recount_tags,
    sort_title_of,
    unindex_works,
    works_finding,
)
from fanfold.archive.search.models import FilterTag
from fanfold.archive.search.query import parse_query
from fanfold.archive.tags import services as tag_services
from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.works import services
from fanfold.archive.works.models import TITLE_MAX, Listing, Work
from tests.archive.factories import make_work


def tags(
    *fandoms: str, characters: tuple[str, ...] = (), freeforms: tuple[str, ...] = ()
) -> dict[TagType, list[str]]:
    return {
        TagType.WARNING: ["No Archive Warnings Apply"],
        TagType.FANDOM: list(fandoms),
        TagType.CHARACTER: list(characters),
        TagType.FREEFORM: list(freeforms),
    }


def tag(name: str) -> Tag:
    return Tag.objects.get(name=name)


def filter_names(work: Work) -> set[str]:
    return set(FilterTag.objects.filter(work=work).values_list("tag__name", flat=True))


def counters(name: str) -> tuple[int, int]:
    """(works strangers find, works logged-in readers find) by the tag's counters."""
    found = tag(name)
    return found.listed_count, found.member_count


def found(text: str) -> set[int]:
    """The works the search box text finds."""
    sql, params = fulltext.match(parse_query(text))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT work_id FROM ({sql}) AS matched", params)
        return {row[0] for row in cursor.fetchall()}


# --- the pure rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "listing"),
    [
        ({}, Listing.PUBLIC),
        ({"is_restricted": True}, Listing.MEMBERS),
        ({"is_draft": True}, Listing.UNLISTED),
        ({"is_hidden": True}, Listing.UNLISTED),
        ({"is_hidden": True, "is_restricted": True}, Listing.UNLISTED),
    ],
)
def test_who_finds_a_work_follows_its_draft_hidden_and_restricted_flags(
    flags: dict[str, bool], listing: Listing
) -> None:
    work = Work(**{"is_draft": False, "is_hidden": False, "is_restricted": False, **flags})
    assert listing_of(work) == listing


def test_sort_titles_ignore_case_and_keep_within_the_title_limit() -> None:
    assert sort_title_of("a Walk") == sort_title_of("A walk") == "a walk"
    assert sort_title_of("Straße") == "strasse"
    assert len(sort_title_of("ß" * TITLE_MAX)) == TITLE_MAX


def test_the_filter_closure_climbs_synonyms_and_meta_tags_and_stops_on_loops() -> None:
    assert filter_closure({1}, mergers={1: 2}, metas={2: {3}, 3: {4}}) == {1, 2, 3, 4}
    assert filter_closure({5, 6}, mergers={}, metas={5: {7}}) == {5, 6, 7}
    assert filter_closure({1}, mergers={}, metas={1: {2}, 2: {1}}) == {1, 2}
    assert filter_closure(set(), mergers={1: 2}, metas={}) == set()


# --- the filter rows -----------------------------------------------------------------------


def test_a_work_is_found_by_its_tags_their_canonical_tags_and_every_meta_tag_above(
    author: User, admin: User
) -> None:
    work = make_work(owner=author, tags=tags("MCU", characters=("Lex Grey",)))
    marvel = Tag.objects.create(type=TagType.FANDOM, name="Marvel")
    lexie = Tag.objects.create(type=TagType.CHARACTER, name="Lexie Grey")
    tag_services.add_meta_tag(sub=tag("MCU"), meta=marvel, by=admin)
    tag_services.make_synonym(tag=tag("Lex Grey"), of=lexie, by=admin)
    assert filter_names(work) == {
        "No Archive Warnings Apply",
        "MCU",
        "Marvel",
        "Lex Grey",
        "Lexie Grey",
    }
    assert sorted(works_finding(lexie)) == [work.pk]
    assert works_finding(Tag.objects.create(type=TagType.FREEFORM, name="Unused")) == []


def test_fandoms_under_one_top_fandom_are_no_crossover_and_two_top_fandoms_are(
    author: User, admin: User
) -> None:
    one = make_work(owner=author, title="One", tags=tags("MCU", "Marvel Comics"))
    two = make_work(owner=author, title="Two", tags=tags("MCU", "Harbour Town"))
    assert one.is_crossover
    marvel = Tag.objects.create(type=TagType.FANDOM, name="Marvel")
    for name in ("MCU", "Marvel Comics"):
        tag_services.add_meta_tag(sub=tag(name), meta=marvel, by=admin)
    one.refresh_from_db()
    two.refresh_from_db()
    assert not one.is_crossover
    assert two.is_crossover


def test_indexing_sets_the_listing_bucket_and_sort_title(author: User) -> None:
    work = make_work(owner=author, title="A Walk", restricted=True)
    Work.objects.filter(pk=work.pk).update(listing=Listing.PUBLIC, bucket=99, sort_title="x")
    index_works([work.pk])
    work.refresh_from_db()
    assert (work.listing, work.bucket, work.sort_title) == (Listing.MEMBERS, work.pk % 64, "a walk")


# --- the counters --------------------------------------------------------------------------


def test_counters_count_public_works_for_strangers_and_restricted_ones_for_members(
    author: User,
) -> None:
    make_work(owner=author, title="Open", tags=tags("Harbour Town"))
    make_work(owner=author, title="Locked", tags=tags("Harbour Town"), restricted=True)
    make_work(owner=author, title="Draft", tags=tags("Harbour Town"), post=False)
    assert counters("Harbour Town") == (1, 2)


def test_counters_move_when_a_work_is_hidden_shown_or_indexed_again(
    author: User, admin: User
) -> None:
    work = make_work(owner=author, tags=tags("Harbour Town", freeforms=("Rain",)))
    assert counters("Rain") == (1, 1)
    index_works([work.pk, work.pk])  # nothing changed: nothing moves
    assert counters("Rain") == (1, 1)
    services.set_work_hidden(work=work, by=admin, hidden=True)
    assert counters("Rain") == (0, 0)
    assert not FilterTag.objects.filter(work=work).exclude(listing=Listing.UNLISTED).exists()
    services.set_work_hidden(work=work, by=admin, hidden=False)
    assert counters("Rain") == (1, 1)


def test_a_synonyms_works_count_for_its_canonical_tag(author: User, admin: User) -> None:
    make_work(owner=author, title="One", tags=tags("Harbour Town", characters=("Lex Grey",)))
    make_work(owner=author, title="Two", tags=tags("Harbour Town", characters=("Lexie Grey",)))
    assert counters("Lexie Grey") == (1, 1)
    tag_services.make_synonym(tag=tag("Lex Grey"), of=tag("Lexie Grey"), by=admin)
    assert counters("Lexie Grey") == (2, 2)
    tag_services.remove_synonym(tag=tag("Lex Grey"), by=admin)
    assert counters("Lexie Grey") == (1, 1)


def test_unindexing_takes_works_out_of_the_rows_the_counters_and_the_search(
    author: User,
) -> None:
    gone = make_work(owner=author, title="Lighthouse", tags=tags("Harbour Town"))
    kept = make_work(owner=author, title="Lighthouse Two", tags=tags("Harbour Town"))
    assert found("lighthouse") == {gone.pk, kept.pk}
    unindex_works([gone.pk])
    assert not FilterTag.objects.filter(work=gone).exists()
    assert counters("Harbour Town") == (1, 1)
    assert found("lighthouse") == {kept.pk}


def test_recounting_repairs_counters_from_the_rows(author: User) -> None:
    make_work(owner=author, title="Open", tags=tags("Harbour Town"))
    make_work(owner=author, title="Locked", tags=tags("Harbour Town"), restricted=True)
    Tag.objects.update(listed_count=7, member_count=0)
    recount_tags()
    assert counters("Harbour Town") == (1, 2)
    assert counters("No Archive Warnings Apply") == (1, 2)


# --- the search documents ------------------------------------------------------------------


def test_a_listed_work_is_searched_by_its_title_author_summary_notes_and_chapters(
    author: User,
) -> None:
    work = make_work(
        owner=author,
        title="Salt Roads",
        summary="<p>A summary about <em>kelp</em>.</p>",
        notes="<p>Thanks to my beta, a patient heron.</p>",
        body="<p>The ferry came in under a copper sky.</p>",
    )
    for text in ("title:salt", "author:author", "kelp", "heron", "copper"):
        assert found(text) == {work.pk}, text


def test_a_work_is_searched_by_the_names_of_every_tag_that_finds_it(
    author: User, admin: User
) -> None:
    work = make_work(owner=author, tags=tags("Harbour Town", characters=("Lex Grey",)))
    tag_services.make_synonym(
        tag=tag("Lex Grey"),
        of=Tag.objects.create(type=TagType.CHARACTER, name="Lexie Grey"),
        by=admin,
    )
    assert found('tag:"Lexie Grey"') == {work.pk}
    assert found('tag:"Lex Grey"') == {work.pk}


def test_draft_chapters_are_not_searched(author: User) -> None:
    work = make_work(owner=author, body="<p>The first chapter speaks of herons.</p>")
    services.add_chapter(
        work=work,
        by=author,
        fields=services.ChapterFields(body="<p>A draft about cormorants.</p>"),
        post=False,
    )
    assert found("herons") == {work.pk}
    assert found("cormorants") == set()


def test_works_nobody_may_list_have_no_document(author: User, admin: User) -> None:
    draft = make_work(owner=author, title="Lighthouse Draft", post=False)
    hidden = make_work(owner=author, title="Lighthouse Hidden")
    assert found("lighthouse") == {hidden.pk}
    services.set_work_hidden(work=hidden, by=admin, hidden=True)
    assert found("lighthouse") == set()
    services.post_work(work=draft, by=author)
    assert found("lighthouse") == {draft.pk}
