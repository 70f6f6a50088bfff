"""The "Report" links on other apps' pages, rendered where their templates ask.

The works, comments and people apps sit below this one and never import it;
their templates load these tags by name (``{% load moderation_tags %}``).
Staff also get a link to the target's moderation page.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from fanfold.archive.comments.models import Comment
from fanfold.archive.people.models import User
from fanfold.archive.works.models import Work

register = template.Library()


def _moderates(context: Any) -> bool:
    """Whether to offer the "Moderate" link: to staff.

    Members of the moderators group who are not staff reach the queue by its
    address: asking for their permissions would cost every signed-in reader
    two queries on every work page. Inside the comments' own inclusion tag
    the context has no request, only its ``is_staff``.
    """
    request = context.get("request")
    user = request.user if request is not None else None
    return bool(user.is_staff if user is not None else context.get("is_staff"))


def _links(context: Any, report: str, moderate: str, arg: object) -> dict[str, Any]:
    moderates = _moderates(context)
    return {
        "report_url": reverse(f"moderation:{report}", args=[arg]),
        "moderate_url": reverse(f"moderation:{moderate}", args=[arg]) if moderates else "",
    }


@register.inclusion_tag("moderation/_report_link.html", takes_context=True)
def report_link(context: dict[str, Any], target: Work | User) -> dict[str, Any]:
    """A paragraph with "Report" (and "Moderate") under a work or on a profile."""
    if isinstance(target, Work):
        return _links(context, "report_work", "work", target.pk) | {"what": "this work"}
    return _links(context, "report_person", "person", target.username) | {"what": "this account"}


@register.inclusion_tag("moderation/_report_comment_link.html", takes_context=True)
def report_comment_link(context: dict[str, Any], comment: Comment) -> dict[str, Any]:
    """List items for a comment's actions: "Report" (and "Moderate")."""
    return _links(context, "report_comment", "comment", comment.pk)
