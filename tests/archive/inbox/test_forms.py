"""What to do with the ticked inbox entries.

``inbox.forms.ActionForm`` promises an action of the three there are and the
ticked entries' ids as numbers, refusing no ticks, ids that are not ids, and
more than a person could tick.
"""

from __future__ import annotations

import pytest
from django.http import QueryDict

from fanfold.archive.inbox.forms import ActionForm


def form(query: str) -> ActionForm:
    return ActionForm(QueryDict(query))


def test_the_ticked_entries_and_the_action_are_read() -> None:
    ticked = form("action=read&entry=3&entry=12")
    assert ticked.is_valid(), ticked.errors
    assert ticked.cleaned_data == {"action": "read", "entry": [3, 12]}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("action=read", "entry", "Tick the entries to act on first."),
        ("entry=3", "action", "Choose what to do with the ticked entries."),
        ("action=read&entry=x", "entry", "Those are not entries of an inbox."),
        ("action=read&entry=99999999999999999999", "entry", "Those are not entries of an inbox."),
        ("action=burn&entry=3", "action", None),
    ],
)
def test_a_bad_action_or_entry_is_refused_clearly(
    query: str, field: str, message: str | None
) -> None:
    refused = form(query)
    assert not refused.is_valid()
    if message:
        assert refused.errors[field] == [message]
    else:
        assert field in refused.errors


def test_more_than_a_person_could_tick_is_refused() -> None:
    many = "&".join(f"entry={n}" for n in range(1, 502))
    assert "Tick at most 500" in form(f"action=delete&{many}").errors["entry"][0]
