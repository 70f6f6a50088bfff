"""What the insights app adds to the works app's reading pages, by tags its templates load.

The works app sits below this one and never imports it. Its reading page
asks :func:`dialogue_colours` once for the chapters it shows (a fixed number
of queries), then :func:`reading_tools` for the link to the characters page,
the colouring switch and its legend, and :func:`chapter_body` for each
chapter's text, coloured or as it is.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from fanfold.archive.insights import selectors
from fanfold.archive.insights.selectors import DialogueColours
from fanfold.archive.works.models import Chapter, Work

register = template.Library()


@register.simple_tag(takes_context=True)
def dialogue_colours(
    context: dict[str, Any], work: Work, chapters: list[Chapter]
) -> DialogueColours | None:
    """``{% dialogue_colours work chapters as dialogue %}``: None when the work has no analysis."""
    request = context["request"]
    on = selectors.colours_dialogue(request.user, request.COOKIES.get(selectors.DIALOGUE_COOKIE))
    return selectors.dialogue_colours(work=work, chapters=list(chapters), on=on)


@register.inclusion_tag("insights/_reading_tools.html", takes_context=True)
def reading_tools(context: dict[str, Any], dialogue: DialogueColours | None) -> dict[str, Any]:
    """The link to the characters page, the switch and the legend (nothing without analysis)."""
    request = context["request"]
    return {
        "dialogue": dialogue,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def chapter_body(chapter: Chapter, dialogue: DialogueColours | None) -> SafeString:
    """The chapter's stored (sanitised) body, its dialogue coloured when the reader asked."""
    if dialogue is not None and dialogue.on and chapter.pk in dialogue.bodies:
        return mark_safe(dialogue.bodies[chapter.pk])  # noqa: S308 the stored body plus our spans
    return mark_safe(chapter.body)  # noqa: S308 sanitised when stored, as the page shows it


@register.inclusion_tag("insights/_dialogue_note.html")
def dialogue_note(chapter: Chapter, dialogue: DialogueColours | None) -> dict[str, Any]:
    """ "Colours return once Fanfold has read the new text", for a chapter changed since."""
    return {"unread": dialogue is not None and dialogue.on and chapter.pk in dialogue.unread}
