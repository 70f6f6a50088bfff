"""Template context every page gets."""

from __future__ import annotations

from django.http import HttpRequest


def reading_preferences(request: HttpRequest) -> dict[str, bool]:
    """Whether this reader chose to hide authors' notes."""
    session = getattr(request, "session", None)
    return {"hide_notes": bool(session and session.get("hide_notes"))}
