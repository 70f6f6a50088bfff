"""Holes in a kept page: the parts of a logged-in reader's work page that are theirs alone.

A signed-in reader's chapter page is the same for every reader who is
neither the work's author nor staff and reads with the same appearance and
preferences, except for a few parts: the account's links in the header,
messages waiting for them, their subscribe, "mark for later" and bookmark
boxes, and the comments (links on their own comments, their pending ones,
whether the author blocked them). The page's templates mark those parts::

    {% load page_holes %}
    {% hole "works/_reader_boxes.html" %}
    {% hole "works/_comments_hole.html" comments_scope %}

Rendered as usual, a hole is an ``{% include %}`` of its template. Rendered
as a *shell* to be kept (``request.page_shell``, set by
:mod:`fanfold.archive.works.pagecache`), it leaves a marker instead, and the
values of the context variables it names (small and plain: numbers, text,
tuples of them) are noted on the request to be kept with the shell. Each
answer then renders the holes' templates for its reader and puts them in
(:func:`fill`), so a page costs its holes, not the whole page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django import template
from django.template import Context, engines
from django.template.base import Node, Parser, Token
from django.utils.safestring import SafeString

register = template.Library()

SHELL = "page_shell"  # a request attribute: True while a shell is being rendered
VALUES = "page_hole_values"  # a request attribute: what the shell's holes asked to keep
MARKER = "<!--fanfold-hole:{}-->"
_NAME = r"[a-z_]+/[a-z_]+\.html"
MARKERS = re.compile(rf"<!--fanfold-hole:({_NAME})-->")


class HoleNode(Node):
    def __init__(self, name: str, kept: list[str]) -> None:
        self.name = name
        self.kept = kept

    def render(self, context: Context) -> str:
        request = context.get("request")
        if request is not None and getattr(request, SHELL, False):
            values: dict[str, Any] = request.__dict__.setdefault(VALUES, {})
            values.update({name: context.get(name) for name in self.kept})
            return MARKER.format(self.name)
        assert context.template is not None
        return context.template.engine.get_template(self.name).render(context)


@register.tag
def hole(parser: Parser, token: Token) -> HoleNode:
    """``{% hole "app/_part.html" [var ...] %}``: a reader's own part of the page.

    The name is a literal template name (``app/_part.html``); the variables
    named after it are kept with the shell for the part to be rendered from.
    """
    bits = token.split_contents()
    if len(bits) < 2 or not re.fullmatch(rf'"{_NAME}"', bits[1]):
        raise template.TemplateSyntaxError(f'{bits[0]} takes a template name: "app/_part.html"')
    kept = bits[2:]
    if not all(name.isidentifier() for name in kept):
        raise template.TemplateSyntaxError(f"{bits[0]}: keep plain variable names only")
    return HoleNode(bits[1].strip('"'), kept)


def fill(shell: str, request: Any, values: Mapping[str, Any]) -> str:
    """The shell with each hole rendered for this request from ``values`` and the usual context.

    The context processors run once for all the holes (as for one page);
    ``values`` are laid over what they give (a ``csrf_token`` the caller
    already has spares masking another).

    A page without holes is returned as it is:

    >>> fill("<p>plain</p>", None, {})
    '<p>plain</p>'
    """
    if "<!--fanfold-hole:" not in shell:
        return shell
    engine = engines["django"].engine  # type: ignore[attr-defined]
    flat: dict[str, Any] = {}
    processors: tuple[Callable[[Any], dict[str, Any]], ...] = engine.template_context_processors
    for processor in processors:
        flat.update(processor(request))
    flat.update(values)  # what the shell kept (and the caller's csrf_token) wins
    context = Context(flat, autoescape=engine.autoescape)
    rendered: dict[str, SafeString] = {}

    def part(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in rendered:
            rendered[name] = engine.get_template(name).render(context)
        return rendered[name]

    return MARKERS.sub(part, shell)
