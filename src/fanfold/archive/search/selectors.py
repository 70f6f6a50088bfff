"""Reads for listings and searches: a reader's filter in, one page of works out.

Who is asking decides what is found, inside the query: strangers find only
public works, logged-in readers restricted ones too; a reader's muted
authors and hidden tags are left out before counting, so counts, facets and
pages agree with each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from fanfold.archive.people.models import HiddenTag, Mute, User
from fanfold.archive.search import filters, fulltext
from fanfold.archive.search.filters import Count, Facets, WorkFilter
from fanfold.archive.search.forms import ReaderChoices, sort_by_name, tag_names
from fanfold.archive.search.query import parse_query
from fanfold.archive.tags.models import TAG_TYPE_ORDER, Tag, TagType
from fanfold.archive.tags.selectors import tags_seen_by
from fanfold.archive.works.models import Listing, Work
from fanfold.archive.works.selectors import Viewer, works_in_order

PER_PAGE = 20
FACETS_SHOWN = 10  # tags of each type in the sidebar before its "more" disclosure
# Offered as their own fixed checkboxes (all of them, used or not), so not again as facets.
FIXED_TAG_TYPES = frozenset({TagType.WARNING, TagType.CATEGORY})
BOUNDED_SEARCH = (
    "So many works match that the best matches are chosen among the newest"
    f" {filters.TEXT_POOL:,} of them; add words or filters to search them all."
)


@dataclass(frozen=True)
class FacetTag:
    tag: Tag
    count: int
    included: bool
    excluded: bool


@dataclass(frozen=True)
class Results:
    works: list[Work]
    count: Count
    next_cursor: str | None
    facets: list[tuple[str, list[FacetTag]]]
    rating_counts: dict[str, int]
    facets_exact: bool
    included: list[Tag]
    excluded: list[Tag]
    messages: list[str] = field(default_factory=list)
    snippets: dict[int, str] = field(default_factory=dict)  # safe HTML, matches in <mark>
    previous_cursor: str | None = None  # read backwards ("before"); None on the first page

    @property
    def entries(self) -> list[tuple[Work, str]]:
        """Each work with its search snippet ("" when not searching)."""
        return [(work, self.snippets.get(work.pk, "")) for work in self.works]


def level_of(viewer: Viewer) -> int:
    return Listing.MEMBERS if viewer.is_authenticated else Listing.PUBLIC


def reader_filter(viewer: Viewer, base: WorkFilter | None = None) -> WorkFilter:
    """``base`` with the reader's muted authors and hidden tags left out."""
    base = base or WorkFilter()
    if not isinstance(viewer, User):
        return base
    muted = tuple(Mute.objects.filter(user=viewer).values_list("muted_id", flat=True))
    hidden = tuple(HiddenTag.objects.filter(user=viewer).values_list("tag_id", flat=True))
    return replace(base, muted_owners=muted, hidden_tags=hidden)


def recent_works(*, viewer: Viewer, count: int = PER_PAGE) -> list[Work]:
    """The home page's most recently updated works, as the reader's listings show them."""
    page = filters.find_works(reader_filter(viewer), level=level_of(viewer), per_page=count)
    return works_in_order(page.work_ids, viewer=viewer)


def _filter_ids(tags: list[Tag]) -> tuple[int, ...]:
    """A synonym filters as its canonical tag, which finds the synonym's works too."""
    return tuple(tag.merger_id or tag.pk for tag in tags)


def _named_tags(names: list[str], messages: list[str], viewer: Viewer) -> list[Tag]:
    """The tags typed in the filter; one that does not exist for the viewer is unknown."""
    found: list[Tag] = []
    if not names:  # most listings: no query to build (tags_seen_by is not cheap to make)
        return found
    seen = Tag.objects.filter(tags_seen_by(viewer))
    for name in names:
        tag = seen.filter(name__iexact=name).order_by("merger_id", "pk").first()
        if tag is None:
            messages.append(f"No tag is called “{name}”; it was left out of the filter.")
        else:
            found.append(tag)
    return found


def _tags_by_ids(ids: list[int], viewer: Viewer) -> list[Tag]:
    """The tags chosen by id; an id of a tag that does not exist for the viewer is dropped,
    as an id no tag has is, so its name is never shown back."""
    if not ids:
        return []
    return list(Tag.objects.filter(tags_seen_by(viewer), pk__in=ids[: filters.MAX_TAGS]))


# No tag has id 0 (ids start at 1): a filter including it finds no work.
NO_SUCH_TAG = 0


def _fixed_tags(names: list[str], tag_type: TagType) -> list[Tag]:
    if not names:
        return []
    return list(Tag.objects.filter(type=tag_type, name__in=names))


def work_filter_from(
    choices: ReaderChoices, *, base: WorkFilter, messages: list[str], viewer: Viewer
) -> tuple[WorkFilter, list[Tag], list[Tag]]:
    """The filter a reader's choices ask for, on top of the listing's own (``base``)."""
    fixed = [
        *_fixed_tags(list(choices.warnings), TagType.WARNING),
        *_fixed_tags(list(choices.categories), TagType.CATEGORY),
    ]
    # A warning or category no work has used yet has no tag: choosing it finds nothing.
    unused = len(fixed) < len(set(choices.warnings)) + len(set(choices.categories))
    nothing = (NO_SUCH_TAG,) if unused else ()
    included = [
        *_tags_by_ids(list(choices.include), viewer),
        *_named_tags(tag_names(choices.include_names), messages, viewer),
        *fixed,
    ]
    excluded = [
        *_tags_by_ids(list(choices.exclude), viewer),
        *_named_tags(tag_names(choices.exclude_names), messages, viewer),
    ]
    text = parse_query(choices.query)
    messages.extend(text.messages)
    wf = WorkFilter(
        include_tags=(*base.include_tags, *_filter_ids(included), *nothing),
        exclude_tags=(*base.exclude_tags, *_filter_ids(excluded)),
        ratings=choices.ratings,
        complete={"yes": True, "no": False}.get(choices.complete),
        crossover={"no": False, "only": True}.get(choices.crossovers),
        words_from=choices.words_from,
        words_to=choices.words_to,
        language=choices.language,
        updated_from=choices.updated_from,
        updated_to=choices.updated_to,
        owner=base.owner,
        muted_owners=base.muted_owners,
        hidden_tags=base.hidden_tags,
        bookmarker=base.bookmarker,
        private_bookmarks=base.private_bookmarks,
        text=text,
        sort=sort_by_name(choices.sort, searching=not text.is_empty),
    )
    return wf, included, excluded


def find(
    choices: ReaderChoices,
    *,
    viewer: Viewer,
    cursor_text: str = "",
    backward: bool = False,
    base: WorkFilter | None = None,
    messages: list[str] | None = None,
) -> Results:
    """One page of the works a reader's filter finds, with the count and the facets.

    ``cursor_text`` is where the page starts (a "next page" link's), or with
    ``backward`` where the page after it starts (a "previous page" link's).
    """
    messages = list(messages or [])
    base = reader_filter(viewer, base)
    wf, included, excluded = work_filter_from(choices, base=base, messages=messages, viewer=viewer)
    wf = wf.normalised()  # the order the engine will use is the one the cursor is in
    level = level_of(viewer)
    cursor = filters.decode_cursor(cursor_text, wf.sort) if cursor_text else None
    if cursor is not None and backward:
        cursor = replace(cursor, backward=True)
    count, facets = filters.summarise(wf, level=level)
    if wf.searching and not count.exact and wf.sort is filters.Sort.RELEVANCE:
        messages.append(BOUNDED_SEARCH)
    page = filters.find_works(wf, level=level, cursor=cursor, per_page=PER_PAGE, expected=count)
    snippets = fulltext.snippets(page.work_ids, wf.text) if wf.text is not None else {}
    return Results(
        snippets=snippets,
        works=works_in_order(page.work_ids, viewer=viewer),
        count=count,
        next_cursor=filters.encode_cursor(page.next) if page.next else None,
        previous_cursor=filters.encode_cursor(page.previous) if page.previous else None,
        facets=_facet_tags(facets, set(wf.include_tags), set(wf.exclude_tags)),
        rating_counts=facets.ratings,
        facets_exact=facets.exact,
        included=included,
        excluded=excluded,
        messages=messages,
    )


def _facet_tags(
    facets: Facets, included: set[int], excluded: set[int]
) -> list[tuple[str, list[FacetTag]]]:
    ids = [tag for counts in facets.tags.values() for tag, _ in counts]
    tags = Tag.objects.in_bulk(ids)
    grouped = []
    for tag_type in TAG_TYPE_ORDER:
        if tag_type in FIXED_TAG_TYPES:
            continue
        counts = facets.tags.get(tag_type, [])
        entries = [
            FacetTag(tags[tag], count, tag in included, tag in excluded)
            for tag, count in counts
            if tag in tags
        ]
        if entries:
            grouped.append((TagType(tag_type).label, entries))
    return grouped
