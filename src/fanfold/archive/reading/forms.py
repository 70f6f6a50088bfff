"""The bookmark form: notes, the bookmarker's own tags, private and rec."""

from __future__ import annotations

from typing import Any

from django import forms

from fanfold.archive.reading.models import BOOKMARK_NOTES_MAX, Bookmark
from fanfold.archive.reading.services import BookmarkFields


def split_tags(text: str) -> tuple[str, ...]:
    """ "slow burn, Fluff ,, " -> ("slow burn", "Fluff").

    >>> split_tags("slow burn, Fluff ,, ")
    ('slow burn', 'Fluff')
    """
    return tuple(name.strip() for name in text.split(",") if name.strip())


class BookmarkForm(forms.Form):
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=BOOKMARK_NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why you saved it, for you or for others. Plain text or simple HTML.",
    )
    tags = forms.CharField(
        label="Your tags",
        required=False,
        max_length=10_000,
        help_text="Your own tags for this bookmark, separated by commas.",
    )
    is_rec = forms.BooleanField(label="Rec (recommend it to others)", required=False)
    is_private = forms.BooleanField(label="Private bookmark (only you see it)", required=False)

    @classmethod
    def for_bookmark(cls, bookmark: Bookmark | None, **kwargs: Any) -> BookmarkForm:
        """The form filled in with a saved bookmark (empty for a new one)."""
        if bookmark is None:
            return cls(**kwargs)
        initial = {
            "notes": bookmark.notes,
            "tags": ", ".join(tag.name for tag in bookmark.tags.all()),
            "is_rec": bookmark.is_rec,
            "is_private": bookmark.is_private,
        }
        return cls(initial=initial, **kwargs)

    def to_fields(self) -> BookmarkFields:
        data = self.cleaned_data
        return BookmarkFields(
            notes=data["notes"],
            tags=split_tags(data["tags"]),
            is_private=data["is_private"],
            is_rec=data["is_rec"],
        )
