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
