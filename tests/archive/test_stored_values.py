"""No stored value a template meets can break a page (issue 16).

Rows reach the database by many roads besides the forms: imports from other
archives, the admin, old versions of Fanfold, an operator's SQL. A page must
render whatever a choice column or a language code holds. The permission
matrix's archive (``tests.archive.test_permissions``) is built, then every
choice column of every Fanfold model is rewritten straight in the database:

- **spread**: row *k* of a model takes choice *k* (mod the number of
  choices), so every valid value sits on some row;
- **outside**: every row holds a value no choice has, and every work a
  language code nobody defines.

Each time every URL the project defines is asked for by the two personas
that see the most (the author of everything, staff); any answer of 500, or
any exception, fails the test, naming the URL and the values. (A stored
rating no choice has made every listing, work page and download answer 500
until ``Rating.of`` read it as Not Rated.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import models

from fanfold.archive.works.models import Work
from tests.archive.test_permissions import (
    Archive,
    body_of,
    build_archive,
    clients,
    patterns,
    url_of,
    variants,
)

pytestmark = pytest.mark.django_db

PERSONAS = ["author", "staff"]  # between them they open every page there is

# Language codes as imports meet them: unknown to Django, private-use, empty,
# in the wrong case, with a region Django lacks.
LANGUAGES = ["", "tlh", "x-elvish", "EN", "zh-Hant-TW", "pt_br", "en-GB-oxendict"]


def choice_fields() -> Iterator[tuple[type[models.Model], models.Field[Any, Any]]]:
    """Every column of a Fanfold model that stores one of a fixed set of choices."""
    for model in apps.get_models():
        if not model.__module__.startswith("fanfold."):
            continue
        for field in model._meta.concrete_fields:
            if field.choices and not field.primary_key:
                yield model, field


def outside_value(field: models.Field[Any, Any]) -> Any:
    """A value no choice has, that the column still accepts."""
    if isinstance(field, models.IntegerField):
        return 250  # fits every integer column, even a positive small one
    return "zz"[: field.max_length or 2]


def spread_choices() -> list[str]:
    """Row k of each model takes choice k: every valid value is stored somewhere."""
    changed = []
    for model, field in choice_fields():
        values = [value for value, _ in field.flatchoices]
        for k, pk in enumerate(model._default_manager.order_by("pk").values_list("pk", flat=True)):
            model._default_manager.filter(pk=pk).update(**{field.attname: values[k % len(values)]})
        changed.append(f"{model.__name__}.{field.name}")
    return changed


def store_outside_values() -> list[str]:
    changed = []
    for model, field in choice_fields():
        model._default_manager.update(**{field.attname: outside_value(field)})
        changed.append(f"{model.__name__}.{field.name}={outside_value(field)!r}")
    for k, pk in enumerate(Work.objects.order_by("pk").values_list("pk", flat=True)):
        Work.objects.filter(pk=pk).update(language=LANGUAGES[k % len(LANGUAGES)])
    return changed


def broken_pages(archive: Archive) -> list[str]:
    """Every URL asked by each persona: those that answered 500."""
    personas = {name: client for name, client in clients(archive).items() if name in PERSONAS}
    broken = []
    for pattern in patterns():
        for _, kwargs in variants(pattern, archive):
            url = url_of(pattern, kwargs)
            for persona, client in personas.items():
                response = client.get(url)
                body_of(response)  # a download read to its end, so its file is closed
                status = response.status_code
                if status >= 500:
                    broken.append(f"{persona} GET {url} ({pattern.name}): {status}")
    return broken


@pytest.mark.slow
@pytest.mark.sqlite  # once, in the SQLite pass: what a template meets is the same value
@pytest.mark.parametrize("store", [spread_choices, store_outside_values])
def test_every_page_renders_whatever_the_choice_columns_and_languages_hold(store: Any) -> None:
    archive = build_archive()
    changed = store()
    assert len(changed) >= 10, changed  # the columns are found, not silently none
    broken = broken_pages(archive)
    assert not broken, f"with {', '.join(changed)}:\n" + "\n".join(broken)
