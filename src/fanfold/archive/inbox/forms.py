"""The inbox's one form: what to do with the entries a person ticked."""

from __future__ import annotations

from typing import Any

from django import forms

_BIGGEST_ID = 2**63 - 1


class EntryIds(forms.Field):
    """The ids of the ticked entries (``entry`` may appear many times in the POST)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        values = value or []
        if not all(str(v).isdigit() and 0 < int(v) <= _BIGGEST_ID for v in values):
            raise forms.ValidationError("Those are not entries of an inbox.")
        return [int(v) for v in values]


class ActionForm(forms.Form):
    """Mark the ticked entries read or unread, or delete them.

    Any ids are accepted here; the services touch the person's own entries only.
    """

    MAX_ENTRIES = 500  # a page shows 20; more is not a person ticking boxes

    action = forms.ChoiceField(
        choices=[("read", "Mark read"), ("unread", "Mark unread"), ("delete", "Delete")],
        error_messages={"required": "Choose what to do with the ticked entries."},
    )
    entry = EntryIds(error_messages={"required": "Tick the entries to act on first."})

    def clean_entry(self) -> list[int]:
        ids: list[int] = self.cleaned_data["entry"]
        if len(ids) > self.MAX_ENTRIES:
            raise forms.ValidationError(f"Tick at most {self.MAX_ENTRIES} entries at once.")
        return ids
