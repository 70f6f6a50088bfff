"""The "Sort and Filter" form: a listing's query string read into a reader's choices.

``FilterForm`` promises that a listing never fails on what a URL carries:
every field is optional, junk tag ids are dropped without an error, a bad
value is an error on its own field only, and ``choices()`` always gives a
``ReaderChoices`` with the good fields (the fields in error left out).
Ranges the wrong way round and filters naming more than ``MAX_TAGS`` tags
are refused with a message. ``sort_by_name`` picks the chosen sort, or
the best match for a search and the newest otherwise; ``tag_names`` reads
names typed with commas.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from fanfold.archive.search.filters import MAX_TAGS, Sort
from fanfold.archive.search.forms import FilterForm, ReaderChoices, sort_by_name, tag_names


def form_of(**values: object) -> FilterForm:
    """The form bound to a query string, as a listing's view binds it."""
    form = FilterForm(QueryDict(urlencode(values, doseq=True)))
    form.is_valid()
    return form


def test_an_empty_query_string_asks_for_nothing() -> None:
    form = form_of()
    assert form.is_valid()
    assert form.choices() == ReaderChoices()


def test_every_field_is_read_into_the_readers_choices() -> None:
    form = form_of(
        sort="kudos",
        q='  rain "cold night" ',
        include=["3", "5"],
        exclude="8",
        other_include="Angst, Fluff",
        other_exclude="Crack",
        ratings=["teen", "general"],
        warnings="No Archive Warnings Apply",
        categories=["F/F", "Gen"],
        complete="yes",
        crossovers="no",
        words_from="100",
        words_to="5000",
        language="de",
        updated_from="2025-01-01",
        updated_to="2025-12-31",
    )
    assert form.errors == {}
    assert form.choices() == ReaderChoices(
        include=(3, 5),
        exclude=(8,),
        include_names="Angst, Fluff",
        exclude_names="Crack",
        warnings=("No Archive Warnings Apply",),
        categories=("F/F", "Gen"),
        ratings=("teen", "general"),
        complete="yes",
        crossovers="no",
        words_from=100,
        words_to=5000,
        language="de",
        updated_from=date(2025, 1, 1),
        updated_to=date(2025, 12, 31),
        query='rain "cold night"',
        sort="kudos",
    )


def test_tag_ids_that_are_not_ids_are_dropped_without_an_error() -> None:
    form = form_of(include=["7", "x", "-1", "1e9", "9" * 25, ""], exclude="12; DROP")
    assert form.is_valid()
    assert form.choices().include == (7,)
    assert form.choices().exclude == ()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ratings", "unrated"),
        ("warnings", "Spoilers"),
        ("categories", "X/Y"),
        ("complete", "maybe"),
        ("crossovers", "sometimes"),
        ("language", "zz-bogus"),
        ("sort", "nonsense"),
        ("words_from", "-5"),
        ("words_to", "lots"),
        ("updated_from", "2025-13-45"),
    ],
)
def test_a_bad_value_is_an_error_on_its_field_and_the_rest_still_filters(
    field: str, value: str
) -> None:
    values = {"q": "rain", "crossovers": "only", field: value}
    form = form_of(**values)
    assert list(form.errors) == [field]
    good = ReaderChoices(query="rain", crossovers="only")
    assert form.choices() == (replace(good, crossovers="") if field == "crossovers" else good)


def test_a_word_range_the_wrong_way_round_is_an_error_on_its_upper_end() -> None:
    form = form_of(words_from="5000", words_to="100")
    assert form.errors == {"words_to": ["“Words to” is smaller than “Words from”."]}
    assert form.choices().words_from == 5000
    assert form.choices().words_to is None


def test_a_date_range_the_wrong_way_round_is_an_error_on_its_end() -> None:
    form = form_of(updated_from="2025-06-01", updated_to="2025-01-01")
    assert form.errors == {"updated_to": ["The end date is before the start date."]}
    assert form.choices().updated_from == date(2025, 6, 1)


def test_one_end_of_a_range_alone_is_fine() -> None:
    assert form_of(words_to="100").is_valid()
    assert form_of(updated_from="2025-06-01").is_valid()


def test_a_filter_may_name_up_to_max_tags_tags_in_all() -> None:
    ids = [str(n) for n in range(1, MAX_TAGS)]
    assert form_of(include=ids, other_exclude="Angst").is_valid()
    too_many = form_of(include=ids, other_exclude="Angst, Fluff")
    assert too_many.non_field_errors() == [f"A filter may name at most {MAX_TAGS} tags."]


@pytest.mark.parametrize(
    ("name", "searching", "sort"),
    [
        ("kudos", False, Sort.KUDOS),
        ("KUDOS", True, Sort.KUDOS),
        ("title", True, Sort.TITLE),
        ("relevance", False, Sort.RELEVANCE),
        ("", False, Sort.UPDATED),
        ("", True, Sort.RELEVANCE),
        ("column; drop", False, Sort.UPDATED),
    ],
)
def test_the_sort_is_the_one_chosen_or_else_best_match_when_searching_and_newest_when_not(
    name: str, searching: bool, sort: Sort
) -> None:
    assert sort_by_name(name, searching=searching) is sort


def test_every_sort_can_be_chosen_in_the_form() -> None:
    offered = {value for value, _ in FilterForm().fields["sort"].choices}  # type: ignore[attr-defined]
    assert offered == {sort.name.lower() for sort in Sort}


def test_tag_names_are_split_at_commas_and_trimmed() -> None:
    assert tag_names("Angst, Fluff ,, ") == ["Angst", "Fluff"]
    assert tag_names("Mark Sloan/Lexie Grey") == ["Mark Sloan/Lexie Grey"]
    assert tag_names(" , ") == []


def test_tag_names_stop_just_past_the_limit() -> None:
    names = tag_names(",".join(f"tag{n}" for n in range(3000)))
    assert len(names) == MAX_TAGS + 1  # enough to say "too many", no more


# Issue 16: the sidebar's selects and checkboxes are rendered once per value.


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("language=de", "language"),
        ("language=<b>x</b>", "language"),
        ("sort=kudos", "sort"),
        ("warnings=Major+Character+Death&warnings=No+Archive+Warnings+Apply", "warnings"),
        ("complete=yes", "complete"),
        ("crossovers=only", "crossovers"),
    ],
)
def test_a_remembered_widget_writes_what_djangos_own_does(query: str, field: str) -> None:
    from django.forms import CheckboxSelectMultiple, Select

    form = FilterForm(QueryDict(query))
    form.is_valid()
    bound = form[field]
    plain = CheckboxSelectMultiple if field == "warnings" else Select
    expected = bound.as_widget(widget=plain(choices=bound.field.widget.choices))  # type: ignore[attr-defined]
    assert str(bound) == expected
    assert str(bound) == expected  # the second time, from memory


def test_a_remembered_widget_shows_each_readers_own_choice() -> None:
    first, second = FilterForm(QueryDict("language=de")), FilterForm(QueryDict("language=fr"))
    assert '<option value="de" selected>' in str(first["language"])
    assert '<option value="fr" selected>' in str(second["language"])
    assert '<option value="de" selected>' not in str(second["language"])
