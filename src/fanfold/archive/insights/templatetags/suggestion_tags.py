"""The author's tag suggestions, shown where the works app's templates ask for them.

The works app sits below this one and never imports it; its edit page loads
this library by name (``{% load suggestion_tags %}{% tag_suggestions work %}``).
"""

from __future__ import annotations

from typing import Any

from django import template

from fanfold.archive.insights.suggestions import suggestions_for
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Work

register = template.Library()


def suggestions_panel(*, work: Work, viewer: object, message: str = "") -> dict[str, Any]:
    """What the panel shows: nothing to anyone but the author, nothing with reading off."""
    is_author = isinstance(viewer, User) and viewer.pk == work.owner_id
    return {
        "work": work,
        "suggestions": suggestions_for(work) if is_author else None,
        "message": message,
    }


@register.inclusion_tag("insights/suggestions_panel.html", takes_context=True)
def tag_suggestions(context: dict[str, Any], work: Work) -> dict[str, Any]:
    """The suggested characters and relationships, each with its evidence and an Add button."""
    request = context["request"]
    return suggestions_panel(work=work, viewer=request.user) | {
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
    }
