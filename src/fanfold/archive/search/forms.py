"""The "Sort and Filter" form of every listing, read from the query string.

A listing must never fail on what a URL carries: every field is optional,
an unknown value is dropped with a message, and the form always yields a
filter (the messages say what was ignored).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.forms.renderers import BaseRenderer
from django.utils.safestring import SafeString

from fanfold.archive.search.filters import MAX_TAGS, Sort
from fanfold.archive.tags.models import CATEGORIES, WARNINGS
from fanfold.archive.works import languages
from fanfold.archive.works.models import Rating

SORT_LABELS = {
    Sort.RELEVANCE: "Best match (with a search)",
    Sort.UPDATED: "Date updated",
    Sort.PUBLISHED: "Date posted",
    Sort.KUDOS: "Kudos",
    Sort.HITS: "Hits",
    Sort.BOOKMARKS: "Bookmarks",
    Sort.COMMENTS: "Comments",
    Sort.WORDS: "Word count",
    Sort.TITLE: "Title",
}


def sort_by_name(name: str, *, searching: bool = False) -> Sort:
    """The chosen sort; without a choice, the best match for a search, else the newest."""
    if name.upper() in Sort.__members__:
        return Sort[name.upper()]
    return Sort.RELEVANCE if searching else Sort.UPDATED


class _IdsField(forms.Field):
    """Tag ids from repeated parameters (facet checkboxes): junk is dropped, not an error."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return [int(v) for v in values if str(v).isdigit() and len(str(v)) < 19]


@dataclass(frozen=True)
class ReaderChoices:
    """What a reader asked for in a listing's "Sort and Filter" form; all of it optional.

    ``include``/``exclude`` are tag ids (facet checkboxes), ``*_names`` tag
    names typed with commas, ``complete`` "yes"/"no", ``crossovers``
    "no"/"only", ``query`` the search box, ``sort`` a ``Sort`` name.
    """

    include: tuple[int, ...] = ()
    exclude: tuple[int, ...] = ()
    include_names: str = ""
    exclude_names: str = ""
    warnings: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    ratings: tuple[str, ...] = ()
    complete: str = ""
    crossovers: str = ""
    words_from: int | None = None
    words_to: int | None = None
    language: str = ""
    updated_from: date | None = None
    updated_to: date | None = None
    query: str = ""
    sort: str = ""


RENDERED_KEPT = 512  # widget renderings remembered (each a few kB)
_rendered: OrderedDict[tuple[str, ...], SafeString] = OrderedDict()


class _Remembered(forms.Widget):
    """A choice widget whose HTML is remembered for each (name, value, attributes, choices).

    The sidebar shows every listing the same selects and checkboxes (the
    languages alone are 170 options), each option a template render: a few
    milliseconds a page, for HTML that only changes with the reader's choice.
    """

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        choices = getattr(self, "choices", ())
        key = (
            type(self).__name__,
            name,
            repr(value),
            repr(sorted((attrs or {}).items())),
            repr(list(choices)),
        )
        html = _rendered.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            _rendered[key] = html
            if len(_rendered) > RENDERED_KEPT:
                _rendered.popitem(last=False)
        return html


class RememberedSelect(_Remembered, forms.Select):
    pass


class RememberedCheckboxes(_Remembered, forms.CheckboxSelectMultiple):
    pass


class FilterForm(forms.Form):
    sort = forms.ChoiceField(
        label="Sort by",
        choices=[(s.name.lower(), label) for s, label in SORT_LABELS.items()],
        required=False,
        widget=RememberedSelect,
    )
    # Not bounded by max_length: the parser cuts a long query and says so.
    q = forms.CharField(
        label="Search",
        required=False,
        strip=True,
        help_text='Words, "a phrase", -excluded, title:, author: or tag: before a word.',
    )
    include = _IdsField(required=False)
    exclude = _IdsField(required=False)
    other_include = forms.CharField(
        label="Other tags to include",
        required=False,
        max_length=2000,
        help_text="Tag names, separated by commas.",
    )
    other_exclude = forms.CharField(label="Other tags to exclude", required=False, max_length=2000)
    ratings = forms.MultipleChoiceField(
        label="Ratings",
        choices=Rating.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    warnings = forms.MultipleChoiceField(
        label="Warnings",
        choices=[(w, w) for w in WARNINGS],
        required=False,
        widget=RememberedCheckboxes,
    )
    categories = forms.MultipleChoiceField(
        label="Categories",
        choices=[(c, c) for c in CATEGORIES],
        required=False,
        widget=RememberedCheckboxes,
    )
    complete = forms.ChoiceField(
        label="Completion status",
        choices=[("", "All works"), ("yes", "Complete works only"), ("no", "Works in progress")],
        required=False,
        widget=RememberedSelect,
    )
    crossovers = forms.ChoiceField(
        label="Crossovers",
        choices=[("", "Include crossovers"), ("no", "Exclude crossovers"), ("only", "Only")],
        required=False,
        widget=RememberedSelect,
    )
    words_from = forms.IntegerField(label="Words from", required=False, min_value=0)
    words_to = forms.IntegerField(label="Words to", required=False, min_value=0)
    language = forms.ChoiceField(
        label="Language",
        choices=[("", "Any language"), *languages.language_choices()],
        required=False,
        widget=RememberedSelect,
    )
    updated_from = forms.DateField(
        label="Updated from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    updated_to = forms.DateField(
        label="Updated to",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def choices(self) -> ReaderChoices:
        """What the reader asked for, the fields in error left out (the rest still filters)."""
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        return ReaderChoices(
            include=tuple(data.get("include", ())),
            exclude=tuple(data.get("exclude", ())),
            include_names=data.get("other_include", ""),
            exclude_names=data.get("other_exclude", ""),
            warnings=tuple(data.get("warnings", ())),
            categories=tuple(data.get("categories", ())),
            ratings=tuple(data.get("ratings", ())),
            complete=data.get("complete", ""),
            crossovers=data.get("crossovers", ""),
            words_from=data.get("words_from"),
            words_to=data.get("words_to"),
            language=data.get("language", ""),
            updated_from=data.get("updated_from"),
            updated_to=data.get("updated_to"),
            query=data.get("q", ""),
            sort=data.get("sort", ""),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("words_from"), data.get("words_to")
        if low is not None and high is not None and low > high:
            self.add_error("words_to", "“Words to” is smaller than “Words from”.")
        start, end = data.get("updated_from"), data.get("updated_to")
        if isinstance(start, date) and isinstance(end, date) and start > end:
            self.add_error("updated_to", "The end date is before the start date.")
        named = len(tag_names(data.get("other_include", ""))) + len(
            tag_names(data.get("other_exclude", ""))
        )
        if len(data.get("include", [])) + len(data.get("exclude", [])) + named > MAX_TAGS:
            raise forms.ValidationError(f"A filter may name at most {MAX_TAGS} tags.")
        return data


def tag_names(text: str) -> list[str]:
    """ "Angst, Fluff ,, " -> ["Angst", "Fluff"]."""
    return [name.strip() for name in text.split(",") if name.strip()][: MAX_TAGS + 1]
