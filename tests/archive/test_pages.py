"""What every app's views share.

``pages.found`` promises the value a selector found, whatever it is (0, an
empty string or list too), and the 404 page, naming what is missing, only
when there is none.
"""

from __future__ import annotations

import pytest
from django.http import Http404

from fanfold.archive.pages import found


@pytest.mark.parametrize("value", [0, "", [], False, "a work"])
def test_anything_found_is_returned_as_it_is_even_when_falsy(value: object) -> None:
    assert found(value, "work") is value


@pytest.mark.parametrize(("what", "message"), [("work", "No such work"), ("tag", "No such tag")])
def test_nothing_found_is_the_404_page_naming_what_is_missing(what: str, message: str) -> None:
    with pytest.raises(Http404) as missing:
        found(None, what)
    assert str(missing.value) == message
