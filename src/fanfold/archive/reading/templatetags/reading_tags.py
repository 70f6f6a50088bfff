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


@register.inclusion_tag("reading/_kudos.html", takes_context=True)
def kudos(context: dict[str, Any], work: Work) -> dict[str, Any]:
    """The kudos button (not for the author) and who left kudos."""
    request = context["request"]
    reader = request.user if isinstance(request.user, User) else None
    return {
        "work": work,
        "summary": selectors.kudos_summary(work=work),
        "is_author": reader is not None and reader.pk == work.owner_id,
        "csrf_token": context.get("csrf_token"),
    }
