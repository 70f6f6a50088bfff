"""Template helpers for showing works.

``works_tags`` promises two filters: ``tag_groups`` gives a work's tags
grouped by type in AO3's display order (warnings, categories, fandoms,
relationships, characters, additional tags), each group sorted by name;
``language_label`` gives a language's own name, and never fails on a code
it does not know, even in a template that also loads Django's i18n.
"""

from __future__ import annotations

import pytest
from django.template import Context, Template

from fanfold.archive.people.models import User
from fanfold.archive.tags.models import TagType
from fanfold.archive.works.templatetags.works_tags import language_label, tag_groups
from tests.archive.factories import make_work


def test_a_works_tags_come_grouped_in_display_order_and_sorted_by_name(author: User) -> None:
    work = make_work(
        owner=author,
        tags={
            TagType.FREEFORM: ["Slow Burn", "angst"],
            TagType.CHARACTER: ["Fitzwilliam Darcy", "Elizabeth Bennet"],
            TagType.FANDOM: ["Pride and Prejudice - Jane Austen"],
            TagType.WARNING: ["No Archive Warnings Apply"],
            TagType.CATEGORY: ["F/M"],
        },
    )
    grouped = [(tag_type, [t.name for t in tags]) for tag_type, tags in tag_groups(work)]
    assert grouped == [
        (TagType.WARNING, ["No Archive Warnings Apply"]),
        (TagType.CATEGORY, ["F/M"]),
        (TagType.FANDOM, ["Pride and Prejudice - Jane Austen"]),
        (TagType.CHARACTER, ["Elizabeth Bennet", "Fitzwilliam Darcy"]),
        (TagType.FREEFORM, ["angst", "Slow Burn"]),
    ]


@pytest.mark.parametrize(
    ("code", "label"),
    [("de", "Deutsch"), ("ja", "日本語"), ("xx", "Unknown language"), ("", "Unknown language")],
)
def test_a_language_is_labelled_by_its_own_name(code: str, label: str) -> None:
    assert language_label(code) == label


def test_the_label_filter_never_fails_in_a_template_that_loads_i18n_too() -> None:
    template = Template(
        "{% load i18n %}{% load works_tags %}{{ a|language_label }}/{{ b|language_label }}"
    )
    assert template.render(Context({"a": "fr", "b": "xx"})) == "français/Unknown language"


def test_the_tag_groups_filter_works_in_a_template(author: User) -> None:
    work = make_work(owner=author)
    template = Template(
        "{% load works_tags %}{% for type, tags in work|tag_groups %}{{ type }}:"
        "{% for t in tags %}{{ t.name }};{% endfor %}|{% endfor %}"
    )
    assert template.render(Context({"work": work})) == (
        "warning:No Archive Warnings Apply;|fandom:Pride and Prejudice - Jane Austen;|"
        "character:Elizabeth Bennet;|"
    )


# The blurb's compact header (issue 14): rating, warnings, category, completion.


def symbols(work: object) -> list[tuple[str, str, str]]:
    from fanfold.archive.works.templatetags.works_tags import required_tags

    return [(symbol.kind, symbol.mark, symbol.text) for symbol in required_tags(work)]


def test_a_blurb_header_has_four_symbols_each_with_its_words(author: User) -> None:
    work = make_work(
        owner=author,
        rating="teen",
        tags={
            TagType.WARNING: ["Major Character Death", "Graphic Depictions Of Violence"],
            TagType.CATEGORY: ["F/M"],
            TagType.FANDOM: ["Harbour"],
        },
    )
    assert symbols(work) == [
        ("rating", "T", "Rating: Teen And Up Audiences"),
        ("warnings", "!", "Warnings: Graphic Depictions Of Violence, Major Character Death"),
        ("category", "F/M", "Category: F/M"),
        ("complete", "WIP", "Work in progress"),
    ]


def test_no_warnings_several_categories_and_a_complete_work(author: User) -> None:
    work = make_work(
        owner=author,
        tags={
            TagType.WARNING: ["No Archive Warnings Apply"],
            TagType.CATEGORY: ["Gen", "M/M"],
            TagType.FANDOM: ["Harbour"],
        },
        is_complete=True,
    )
    assert symbols(work) == [
        ("rating", "G", "Rating: General Audiences"),
        ("warnings", "–", "No Archive Warnings Apply"),
        ("category", "Multi", "Categories: Gen, M/M"),
        ("complete", "✓", "Complete work"),
    ]


def test_a_creator_who_chose_not_to_warn_and_no_category(author: User) -> None:
    work = make_work(
        owner=author,
        rating="not_rated",
        tags={
            TagType.WARNING: ["Creator Chose Not To Use Archive Warnings"],
            TagType.FANDOM: ["Harbour"],
        },
    )
    assert symbols(work)[:3] == [
        ("rating", "?", "Rating: Not Rated"),
        ("warnings", "?", "Creator Chose Not To Use Archive Warnings"),
        ("category", "–", "No category"),
    ]
