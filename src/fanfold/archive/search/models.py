"""The filter index: which works a filter on each tag finds.

A work tagged "Lex Grey" (a synonym of "Lexie Grey") in the fandom "MCU"
(a sub-tag of "Marvel") has filter rows for "Lex Grey", "Lexie Grey",
"MCU" and "Marvel". A filter on any tag is then one index range, whatever
the wrangling behind it (AO3 calls these filter taggings).

The primary key leads with the tag, then the work's sample bucket
(``work_id % 64``), so "the works of a tag" is one contiguous range and a
fixed share of them (a few buckets) is one shorter range: facet counts and
totals over huge result sets are estimated from such a sample. The second
index, work first, gives a work's tags for facets and re-indexing. Each
row keeps the work's listing, so counts need not visit the works table.
"""

from __future__ import annotations

from django.db import models

from fanfold.archive.tags.models import Tag, TagType
from fanfold.archive.works.models import Listing, Work


class FilterTag(models.Model):
    pk = models.CompositePrimaryKey("tag", "bucket", "work")
    # No single-column indexes: the primary key leads with the tag, the index below
    # with the work, and each covers the queries made from its side.
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+", db_index=False)
    bucket = models.PositiveSmallIntegerField()
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, related_name="filter_tags", db_index=False
    )
    tag_type = models.CharField(max_length=20, choices=TagType.choices)
    # The work's listing when it was indexed: what the tag counters counted.
    listing = models.PositiveSmallIntegerField(choices=Listing.choices)

    class Meta:
        indexes = [models.Index(fields=["work", "tag", "tag_type"], name="filter_tag_by_work")]

    def __str__(self) -> str:
        return f"work {self.work_id} finds tag {self.tag_id}"
