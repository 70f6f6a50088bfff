"""The archive's root URLconf.

``archive.urls`` promises that every app's pages are mounted at the root
under the app's own namespace (with the admin at ``/admin/``), that no
app's path hides another's, and that requests Django refuses before any
view get the archive's own 400 page (``errors.bad_request``).
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, StringConverter

from fanfold.archive.errors import bad_request
from fanfold.archive.tags.converters import TagNameConverter

APPS = ["search", "works", "reading", "comments", "people", "tags", "inbox", "suggestions"]

# A value for each converter the apps' paths use; a tag name with "/" and a dot.
SAMPLES: dict[type, object] = {
    IntConverter: 7,
    StringConverter: "kit.kat",
    TagNameConverter: "Mark Sloan/Lexie Grey Jr.",
}


def named_patterns() -> dict[str, URLPattern]:
    """Every named path of the apps, by "namespace:name"."""
    found: dict[str, URLPattern] = {}
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in APPS:
            found |= {
                f"{entry.namespace}:{pattern.name}": pattern
                for pattern in entry.url_patterns
                if isinstance(pattern, URLPattern) and pattern.name
            }
    return found


def sample_kwargs(pattern: URLPattern) -> dict[str, object]:
    converters = pattern.pattern.converters  # type: ignore[attr-defined]
    return {name: SAMPLES[type(converter)] for name, converter in converters.items()}


def test_every_app_is_mounted_under_its_own_namespace() -> None:
    namespaces = set(get_resolver().namespace_dict)
    assert {*APPS, "admin"} <= namespaces
    assert {name.split(":")[0] for name in named_patterns()} == set(APPS)


@pytest.mark.parametrize(
    ("name", "args", "path"),
    [
        ("search:home", [], "/"),
        ("search:works", [], "/works/"),
        ("works:work", [7], "/works/7/"),
        ("works:author", ["kit.kat"], "/users/kit.kat/"),
        ("people:signup", [], "/signup/"),
        ("tags:fandoms", [], "/fandoms/"),
        ("admin:index", [], "/admin/"),
    ],
)
def test_each_app_answers_at_the_root_of_the_site(name: str, args: list[object], path: str) -> None:
    assert reverse(name, args=args) == path


@pytest.mark.parametrize("name", sorted(named_patterns()))
def test_no_apps_path_hides_another_apps_path(name: str) -> None:
    pattern = named_patterns()[name]
    path = reverse(name, kwargs=sample_kwargs(pattern))
    match = resolve(unquote(path))
    assert f"{match.namespace}:{match.url_name}" == name
    assert match.func is pattern.callback
    assert match.kwargs == sample_kwargs(pattern)


def test_refused_requests_get_the_archives_own_400_page() -> None:
    assert get_resolver().resolve_error_handler(400) is bad_request
