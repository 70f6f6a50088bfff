"""``reading.forms``: the bookmark form keeps what was typed and fills in a saved bookmark."""

from __future__ import annotations

from fanfold.archive.people.models import User
from fanfold.archive.reading import services
from fanfold.archive.reading.forms import BookmarkForm, split_tags
from fanfold.archive.reading.models import BOOKMARK_NOTES_MAX
from fanfold.archive.reading.services import BookmarkFields
from tests.archive.factories import make_work


def test_the_form_gives_the_services_fields() -> None:
    form = BookmarkForm(data={"notes": "So good", "tags": "slow burn, , Fluff ", "is_rec": "on"})
    assert form.is_valid()
    assert form.to_fields() == BookmarkFields(
        notes="So good", tags=("slow burn", "Fluff"), is_private=False, is_rec=True
    )


def test_notes_over_the_limit_are_an_error_next_to_what_was_typed() -> None:
    typed = "x" * (BOOKMARK_NOTES_MAX + 1)
    form = BookmarkForm(data={"notes": typed, "tags": "kept", "is_private": "on"})
    assert not form.is_valid()
    assert "at most 5000 characters" in str(form.errors["notes"])
    html = form.as_p()
    assert typed in html
    assert 'value="kept"' in html
    assert "checked" in html


def test_a_saved_bookmark_fills_in_the_form(author: User, reader: User) -> None:
    work = make_work(owner=author)
    bookmark = services.save_bookmark(
        user=reader,
        work=work,
        fields=BookmarkFields(notes="Mine", tags=("b tag", "a tag"), is_private=True),
    )
    form = BookmarkForm.for_bookmark(bookmark)
    assert form.initial == {
        "notes": "<p>Mine</p>",
        "tags": "a tag, b tag",
        "is_rec": False,
        "is_private": True,
    }
    assert BookmarkForm.for_bookmark(None).initial == {}


def test_tags_are_split_on_commas() -> None:
    assert split_tags("") == ()
    assert split_tags(" one ,two,, three ") == ("one", "two", "three")
