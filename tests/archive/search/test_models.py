"""``FilterTag``: the rows a filter on a tag reads, one per work and tag that finds it.

The model promises a row keyed by tag, sample bucket and work (so one tag's
works, or a fixed share of them, are one index range), carrying the tag's
type and the work's listing when indexed; rows go when their work or tag
goes, and a row says in words which work finds which tag.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from fanfold.archive.people.models import User
from fanfold.archive.search.models import FilterTag
from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.works.models import SAMPLE_BUCKETS, Listing
from tests.archive.factories import make_work

TAGS = {
    TagType.WARNING: ["No Archive Warnings Apply"],
    TagType.FANDOM: ["Harbour Town"],
    TagType.FREEFORM: ["Rain"],
}


def test_a_posted_work_has_a_row_for_each_of_its_tags_with_its_type_bucket_and_listing(
    author: User,
) -> None:
    work = make_work(owner=author, tags=TAGS, restricted=True)
    rows = FilterTag.objects.filter(work=work).select_related("tag")
    assert {(row.tag.name, row.tag_type) for row in rows} == {
        ("No Archive Warnings Apply", TagType.WARNING),
        ("Harbour Town", TagType.FANDOM),
        ("Rain", TagType.FREEFORM),
    }
    assert {row.bucket for row in rows} == {work.pk % SAMPLE_BUCKETS}
    assert {row.listing for row in rows} == {Listing.MEMBERS}


def test_the_primary_key_is_the_tag_the_bucket_and_the_work(author: User) -> None:
    work = make_work(owner=author, tags=TAGS)
    row = FilterTag.objects.filter(work=work, tag__name="Rain").get()
    assert row.pk == (row.tag_id, row.bucket, work.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        FilterTag.objects.create(
            tag_id=row.tag_id,
            bucket=row.bucket,
            work=work,
            tag_type=row.tag_type,
            listing=row.listing,
        )


def test_rows_go_with_their_work_and_with_their_tag(author: User) -> None:
    kept = make_work(owner=author, title="Kept", tags=TAGS)
    gone = make_work(owner=author, title="Gone", tags=TAGS)
    gone.delete()
    assert not FilterTag.objects.filter(work_id=gone.pk).exists()
    Tag.objects.filter(name="Rain").delete()
    assert sorted(FilterTag.objects.filter(work=kept).values_list("tag__name", flat=True)) == [
        "Harbour Town",
        "No Archive Warnings Apply",
    ]


def test_a_row_says_which_work_finds_which_tag(author: User) -> None:
    work = make_work(owner=author, tags=TAGS)
    row = FilterTag.objects.filter(work=work, tag__name="Rain").get()
    assert str(row) == f"work {work.pk} finds tag {row.tag_id}"
