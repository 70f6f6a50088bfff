"""The readers' side of a work page, rendered where the works app's templates ask for it.

The works app sits below this one and never imports it; its templates load
these tags by name, so the work page shows kudos without an import upward.
"""

from __future__ import annotations

from typing import Any

from django import template

from fanfold.archive.people.models import User
from fanfold.archive.reading import selectors
from fanfold.archive.works.models import Work

register = template.Library()


def kudos_box(*, work: Work, viewer: object, message: str = "") -> dict[str, Any]:
    """What the kudos box shows: the button (not for the author), who left kudos, a reply."""
    reader = viewer if isinstance(viewer, User) else None
    return {
        "work": work,
        "summary": selectors.kudos_summary(work=work),
        "is_author": reader is not None and reader.pk == work.owner_id,
        "message": message,
    }


@register.inclusion_tag("reading/_kudos.html", takes_context=True)
def kudos(context: dict[str, Any], work: Work) -> dict[str, Any]:
    """The kudos box on a work page."""
    return kudos_box(work=work, viewer=context["request"].user) | {
        "csrf_token": context.get("csrf_token")
    }
