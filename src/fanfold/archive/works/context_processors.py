"""Template context every page gets."""

from __future__ import annotations

from django.http import HttpRequest

from fanfold.archive.people.models import User


def reading_preferences(request: HttpRequest) -> dict[str, bool]:
    """Whether this reader hides authors' notes.

    The button on a work decides for the session; before it is pressed, the
    account's "hide notes by default" setting does (guests see notes).
    """
    session = getattr(request, "session", None)
    if session is not None and "hide_notes" in session:
        return {"hide_notes": bool(session["hide_notes"])}
    user = getattr(request, "user", None)
    return {"hide_notes": isinstance(user, User) and user.hide_notes_by_default}
